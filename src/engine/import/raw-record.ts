import type { FieldProblem, ImportCells } from './import-row.ts';

/** One record of an import file, as text cells, with the line it starts on and any shape problems. */
export interface RawRecord {
  line: number;
  cells: ImportCells;
  problems: FieldProblem[];
}

/** `Invoice Number`, `invoice-number` → `invoice_number`. */
export const columnName = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
