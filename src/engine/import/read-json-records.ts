import { DulyError } from '../../domain/errors.ts';
import { type FieldProblem, IMPORT_COLUMNS, type ImportCells, type ImportColumn } from './import-row.ts';
import { jsonErrorLine } from './json-error-line.ts';
import { jsonRecordLines } from './json-record-lines.ts';
import { columnName, type RawRecord } from './raw-record.ts';

/** Records of a JSON file: an array of objects, or `{ "invoices": [...] }`. */
export function readJsonRecords(text: string, file: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    const line = jsonErrorLine(text, reason);
    throw new DulyError('invalid_input', `${file}:${line}: not valid JSON: ${reason}`, { file, line });
  }
  const list = Array.isArray(data) ? data : (data as { invoices?: unknown } | null)?.invoices;
  if (!Array.isArray(list)) {
    throw new DulyError('invalid_input', `${file}: expected an array of invoices or { "invoices": [...] }`, {
      file,
    });
  }
  const lines = jsonRecordLines(text);
  return list.map((item, index) => {
    const line = lines[index] ?? index + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { line, cells: {}, problems: [{ field: 'invoice', problem: 'must be an object' }] };
    }
    const cells: ImportCells = {};
    const problems: FieldProblem[] = [];
    for (const [key, value] of Object.entries(item)) {
      const column = columnName(key);
      if (!IMPORT_COLUMNS.has(column)) problems.push({ field: key, problem: 'unknown field' });
      else if (value === null || value === undefined) continue;
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        const cell = String(value).trim();
        if (cell) cells[column as ImportColumn] = cell;
      } else if (Array.isArray(value) && column === 'tags' && value.every((v) => typeof v === 'string')) {
        cells.tags = value.join(';');
      } else problems.push({ field: key, problem: 'must be text, a number or true/false' });
    }
    return { line, cells, problems };
  });
}
