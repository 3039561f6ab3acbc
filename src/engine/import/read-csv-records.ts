import { CsvError, parse } from 'csv-parse/sync';
import { DulyError } from '../../domain/errors.ts';
import {
  type FieldProblem,
  IMPORT_COLUMNS,
  type ImportCells,
  type ImportColumn,
  REQUIRED_COLUMNS,
} from './import-row.ts';
import { columnName, type RawRecord } from './raw-record.ts';

/** Records of a CSV file with a header line; the delimiter (`,` `;` or tab) is the header's most frequent. */
export function readCsvRecords(text: string, file: string): RawRecord[] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    count(firstLine, d) > count(firstLine, best) ? d : best,
  );
  let parsed: CsvRecord[];
  try {
    const options = { delimiter, info: true, skip_empty_lines: true, relax_column_count: true };
    // csv-parse counts a CRLF inside quotes as two lines, which would shift every line number after it.
    parsed = parse(text.replace(/\r\n?/g, '\n'), options) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new DulyError('invalid_input', `${file}${line ? `:${line}` : ''}: ${error.message}`, {
      file,
      line,
    });
  }
  const [header, ...data] = parsed;
  if (!header) return [];
  const columns = header.record.map(columnName);
  const headerProblems = [
    ...columns.filter((c) => c !== '' && !IMPORT_COLUMNS.has(c)).map((c) => `${c}: unknown column`),
    ...REQUIRED_COLUMNS.filter((c) => !columns.includes(c)).map((c) => `${c}: required column is missing`),
    ...columns
      .filter((c, i) => c !== '' && columns.indexOf(c) !== i)
      .map((c) => `${c}: column appears twice`),
  ];
  if (headerProblems.length > 0) {
    const known = `the columns are ${[...IMPORT_COLUMNS].join(', ')}`;
    const message = [...headerProblems.map((p) => `${file}:${header.info.lines}: ${p}`), `${file}: ${known}`];
    throw new DulyError('invalid_input', message.join('\n'), { file, line: header.info.lines });
  }
  const records: RawRecord[] = [];
  let previous = header.info;
  for (const { record, info } of data) {
    // csv-parse reports the line a record ends on; a quoted cell may hold newlines.
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    if (record.every((cell) => cell.trim() === '')) continue;
    const cells: ImportCells = {};
    const problems: FieldProblem[] = [];
    if (record.length > columns.length && record.slice(columns.length).some((c) => c.trim() !== '')) {
      problems.push({
        field: 'line',
        problem: `has ${record.length} cells but the header has ${columns.length}`,
      });
    }
    for (let i = 0; i < columns.length; i++) {
      const value = record[i]?.trim();
      if (value) cells[columns[i] as ImportColumn] = value;
    }
    records.push({ line, cells, problems });
  }
  return records;
}

interface CsvRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

const count = (text: string, char: string) => text.split(char).length - 1;
