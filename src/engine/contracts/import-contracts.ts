import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { DulyError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Ctx } from '../context.ts';
import { jsonErrorLine } from '../import/json-error-line.ts';
import { jsonRecordLines } from '../import/json-record-lines.ts';
import { columnName } from '../import/raw-record.ts';
import { CONTRACT_FIELD_NAMES, ContractFields, type ContractValues } from './contract-input.ts';
import { saveContracts, type UpsertContractsResult } from './upsert-contracts.ts';

const MAX_PROBLEMS = 50;

interface ContractRecord {
  line: number;
  cells: Record<string, unknown>;
}

/**
 * Imports contracts from a CSV file with a header line (the columns are the API's field names) or a
 * JSON array of objects, all or nothing: any wrong record fails the whole file with every problem as
 * `FILE:LINE: field: problem`. Contracts are matched by id, so a re-import updates them.
 */
export async function importContracts({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { file: string };
}): Promise<UpsertContractsResult> {
  const file = input?.file;
  if (typeof file !== 'string' || file.trim() === '') {
    throw new DulyError('invalid_input', 'name the file to import (a .csv or .json file)', { field: 'file' });
  }
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new DulyError('invalid_input', `cannot read ${file}: ${reason}`, { file });
  }
  const records =
    /\.json$/i.test(file) || /^\s*\[/.test(text) ? jsonRecords(text, file) : csvRecords(text, file);
  if (records.length === 0) throw new DulyError('invalid_input', `${file} holds no contracts`, { file });
  const problems: string[] = [];
  const contracts: ContractValues[] = [];
  for (const record of records) {
    const parsed = ContractFields.safeParse(record.cells);
    if (parsed.success) contracts.push(parsed.data);
    else
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || 'record';
        const message =
          issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
        problems.push(`${file}:${record.line}: ${field}: ${message}`);
      }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > shown.length)
      shown.push(`${file}: ${problems.length - shown.length} more problems not shown`);
    throw new DulyError('invalid_input', shown.join('\n'), { file, line: records[0]?.line });
  }
  const result = await saveContracts(ctx, contracts, { file, lines: records.map((r) => r.line) });
  await appendAudit(ctx.store.db, ctx.tenantId, [
    {
      at: ctx.clock(),
      kind: 'contracts.import',
      subject: `file:${basename(file)}`,
      actor: ctx.actor,
      data: { file, rows: records.length, ...result },
    },
  ]);
  return result;
}

function jsonRecords(text: string, file: string): ContractRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    const line = jsonErrorLine(text, reason);
    throw new DulyError('invalid_input', `${file}:${line}: not valid JSON: ${reason}`, { file, line });
  }
  if (!Array.isArray(data))
    throw new DulyError('invalid_input', `${file}: expected an array of contracts`, { file });
  const lines = jsonRecordLines(text);
  return data.map((item, index) => ({
    line: lines[index] ?? index + 1,
    cells:
      item !== null && typeof item === 'object' && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : { record: item },
  }));
}

function csvRecords(text: string, file: string): ContractRecord[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    const options = { info: true, skip_empty_lines: true, relax_column_count: true } as const;
    parsed = parse(text.replace(/\r\n?/g, '\n'), options) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new DulyError('invalid_input', `${file}: ${error.message}`, { file });
  }
  const [header, ...data] = parsed;
  if (!header) return [];
  const columns = header.record.map(columnName);
  const unknown = columns.filter((c) => c !== '' && !CONTRACT_FIELD_NAMES.includes(c));
  if (unknown.length > 0) {
    throw new DulyError(
      'invalid_input',
      `${file}:${header.info.lines}: ${unknown[0]}: unknown column; the columns are ${CONTRACT_FIELD_NAMES.join(', ')}`,
      { file, line: header.info.lines },
    );
  }
  return data
    .filter(({ record }) => record.some((cell) => cell.trim() !== ''))
    .map(({ record, info }) => ({
      // csv-parse reports the line a record ends on; contracts hold no line breaks in practice.
      line: info.lines,
      cells: Object.fromEntries(
        columns.map((c, i) => [c, record[i]?.trim() ?? '']).filter(([c]) => c !== ''),
      ),
    }));
}
