import { parse } from 'yaml';
import { DulyError } from '../domain/errors.ts';

/** The words around a message in one language (from `<locale>/labels.yaml`). */
export interface Labels {
  invoice: string;
  due: string;
  days_overdue: string;
  balance: string;
  total_line: string;
  partial: string;
  overdue_one?: string;
  overdue_other: string;
  pay_now: string;
  unsubscribe: string;
  unsubscribe_line: string;
  [category: string]: string | undefined;
}

/** Reads a labels file; every value must be text. Missing keys are filled from the base language. */
export function parseLabels(source: string, file: string): Partial<Labels> {
  let data: unknown;
  try {
    data = parse(source);
  } catch (error) {
    throw new DulyError('invalid_config', `cannot read labels: ${(error as Error).message}`, { file });
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new DulyError('invalid_config', 'labels must be lines of "name: text"', { file });
  }
  const labels: Partial<Labels> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      throw new DulyError('invalid_config', `${key} must be text`, { file, field: key });
    }
    labels[key] = value;
  }
  return labels;
}

/** Fills `{name}` placeholders in a label. */
export function fillLabel(label: string, values: Record<string, string | number>): string {
  return label.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
