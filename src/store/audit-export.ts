import type { Kysely } from 'kysely';
import { auditPages, type StoredAuditEntry } from './audit-pages.ts';
import type { Database } from './database.ts';

export type AuditExportFormat = 'jsonl' | 'csv';

const PAGE = 5000;
const CSV_COLUMNS = ['seq', 'at', 'time', 'kind', 'subject', 'actor', 'data', 'prev_hash', 'hash'] as const;

type ExportRow = StoredAuditEntry;

/**
 * Streams the tenant's audit trail in seq order, one page at a time, to `write`, and returns how many
 * entries it wrote. Both formats keep `data` as the exact stored JSON text and the hashes, so an auditor
 * can re-check the chain from the export alone; `time` is `at` in ISO 8601 UTC, for people.
 */
export async function exportAudit(
  db: Kysely<Database>,
  tenantId: string,
  format: AuditExportFormat,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  const line = format === 'csv' ? csvLine : jsonLine;
  if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\r\n`);
  let count = 0;
  for await (const page of auditPages(db, tenantId, PAGE)) {
    await write(page.map(line).join(''));
    count += page.length;
  }
  return count;
}

function jsonLine(row: ExportRow): string {
  const { seq, at, kind, subject, actor, data, prev_hash, hash } = row;
  const head = JSON.stringify({ seq, at, time: new Date(at).toISOString(), kind, subject, actor });
  // `data` is already canonical JSON; splicing it in keeps it byte for byte as hashed.
  return `${head.slice(0, -1)},"data":${data},${JSON.stringify({ prev_hash, hash }).slice(1)}\n`;
}

function csvLine(row: ExportRow): string {
  const { seq, at, kind, subject, actor, data, prev_hash, hash } = row;
  const time = new Date(at).toISOString();
  return `${[seq, at, time, kind, subject, actor, data, prev_hash, hash].map(csvField).join(',')}\r\n`;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF (or edge spaces), doubling inner quotes. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
