import { readFile } from 'node:fs/promises';
import { DulyError } from '../../domain/errors.ts';
import type { ImportRow } from './import-row.ts';
import { readCsvRecords } from './read-csv-records.ts';
import { readJsonRecords } from './read-json-records.ts';
import { validateImportRecord } from './validate-import-record.ts';

export type ImportFormat = 'csv' | 'json';

const MAX_PROBLEMS = 50;

/**
 * Reads an invoice import file (CSV with a header line, or JSON: an array of objects or
 * `{ "invoices": [...] }`) and validates every record. All or nothing: when any record is wrong it throws
 * one DulyError listing every problem (up to 50) as `FILE:LINE: field: problem`.
 */
export async function parseImportFile(file: string): Promise<{ format: ImportFormat; rows: ImportRow[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DulyError('invalid_input', `cannot read ${file}: ${reason}`, { file });
  }
  return parseImportText(text, file);
}

/** The pure half of parseImportFile: `file` only names the source in messages. */
export function parseImportText(text: string, file: string): { format: ImportFormat; rows: ImportRow[] } {
  const body = text.replace(/^\uFEFF/, '');
  const format: ImportFormat = /\.json$/i.test(file) || /^\s*[[{]/.test(body) ? 'json' : 'csv';
  const records = format === 'json' ? readJsonRecords(body, file) : readCsvRecords(body, file);
  if (records.length === 0) throw new DulyError('invalid_input', `${file} holds no invoices`, { file });

  const problems: { line: number; field: string; problem: string }[] = [];
  let total = 0;
  const report = (line: number, field: string, problem: string) => {
    total++;
    if (problems.length < MAX_PROBLEMS) problems.push({ line, field, problem });
  };
  const rows: ImportRow[] = [];
  const numbers = new Map<string, number>();
  const externalIds = new Map<string, number>();
  for (const record of records) {
    for (const p of record.problems) report(record.line, p.field, p.problem);
    const { row, problems: found } = validateImportRecord(record.cells, record.line);
    for (const p of found) report(record.line, p.field, p.problem);
    const number = record.cells.invoice_number;
    if (number) {
      const first = numbers.get(number);
      if (first === undefined) numbers.set(number, record.line);
      else report(record.line, 'invoice_number', `"${number}" is on line ${first} too; each invoice once`);
    }
    if (record.cells.external_id) {
      const key = `${record.cells.source || 'import'}\u0000${record.cells.external_id}`;
      const first = externalIds.get(key);
      if (first === undefined) externalIds.set(key, record.line);
      else report(record.line, 'external_id', `"${record.cells.external_id}" is on line ${first} too`);
    }
    if (row && record.problems.length === 0) rows.push(row);
  }
  if (total > 0) throw problemsError(file, problems, total);
  return { format, rows };
}

function problemsError(
  file: string,
  problems: { line: number; field: string; problem: string }[],
  total: number,
) {
  // A quoted cell may hold a line break: escape it, so that each problem stays on its own line.
  const oneLine = (text: string) => text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  const lines = problems.map((p) => `${file}:${p.line}: ${p.field}: ${oneLine(p.problem)}`);
  if (total > problems.length) lines.push(`${file}: ${total - problems.length} more problems not shown`);
  const first = problems[0];
  return new DulyError('invalid_input', lines.join('\n'), { file, line: first?.line, field: first?.field });
}
