import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DulyError } from '../../domain/errors.ts';
import type { Instant } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { insertRows } from '../../store/insert-rows.ts';
import { selectInChunks } from '../../store/select-in-chunks.ts';
import { type ImportCounts, noCounts } from './import-counts.ts';
import type { ImportRow } from './import-row.ts';
import { type InvoiceOutcome, type InvoiceValues, resolveInvoice } from './resolve-invoice.ts';

const COLUMNS = [
  'tenant_id',
  'id',
  'number',
  'account_id',
  'amount',
  'balance',
  'currency',
  'issued_on',
  'due_on',
  'status',
  'disputed',
  'source',
  'external_id',
  'contract_id',
  'next_plan_at',
  'created_at',
  'updated_at',
] as const;
const UPDATED = COLUMNS.filter((c) => c !== 'tenant_id' && c !== 'id' && c !== 'created_at');
const STORED = COLUMNS.filter((c) => c !== 'tenant_id' && c !== 'created_at' && c !== 'updated_at');
const WRITE_SLICE = 5000;

export interface SavedInvoices {
  counts: ImportCounts;
  statusChanges: { id: string; number: string; from: string; to: string }[];
  /** Invoice ids whose pending touches must be cancelled, by reason. */
  toCancel: Map<string, string[]>;
  /** Invoices created or changed, and their accounts: what invoice-change hooks look at. */
  changedIds: string[];
  changedAccountIds: string[];
}

/** Creates and updates invoices by number, in one pass of chunked reads and multi-row upserts. */
export async function saveInvoices(
  db: Kysely<Database>,
  tenantId: string,
  input: {
    file: string;
    rows: readonly ImportRow[];
    now: Instant;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SavedInvoices> {
  const { file, rows, now, onProgress } = input;
  const byNumber = (numbers: string[]) =>
    db
      .selectFrom('invoices')
      .select(STORED)
      .where('tenant_id', '=', tenantId)
      .where('number', 'in', numbers)
      .execute();
  const found = await selectInChunks(
    rows.map((r) => r.invoice.number),
    byNumber,
  );
  const stored = new Map<string, InvoiceValues>(found.map((row) => [row.number, row]));
  const outcomes = rows.map((row) => resolveInvoice(row.invoice, stored.get(row.invoice.number), randomUUID));
  await refuseTakenExternalIds(db, tenantId, file, rows, outcomes);
  await refuseUnknownContracts(db, tenantId, file, rows);

  const saved: SavedInvoices = {
    counts: noCounts(),
    statusChanges: [],
    toCancel: new Map(),
    changedIds: [],
    changedAccountIds: [],
  };
  const changedAccounts = new Set<string>();
  const writes: unknown[][] = [];
  for (const { kind, values: v, statusChange, cancelReason } of outcomes) {
    saved.counts[kind]++;
    if (kind === 'unchanged') continue;
    saved.changedIds.push(v.id);
    changedAccounts.add(v.account_id);
    if (statusChange) saved.statusChanges.push({ id: v.id, number: v.number, ...statusChange });
    if (cancelReason) {
      const ids = saved.toCancel.get(cancelReason) ?? [];
      saved.toCancel.set(cancelReason, ids);
      ids.push(v.id);
    }
    writes.push([
      tenantId,
      v.id,
      v.number,
      v.account_id,
      v.amount,
      v.balance,
      v.currency,
      v.issued_on,
      v.due_on,
      v.status,
      v.disputed,
      v.source,
      v.external_id,
      v.contract_id,
      v.next_plan_at,
      now,
      now,
    ]);
  }
  saved.changedAccountIds = [...changedAccounts];
  onProgress?.(rows.length - writes.length, rows.length);
  for (let i = 0; i < writes.length; i += WRITE_SLICE) {
    const slice = writes.slice(i, i + WRITE_SLICE);
    await insertRows(db, 'invoices', COLUMNS, slice, {
      onConflict: { columns: ['tenant_id', 'id'], update: UPDATED },
    });
    onProgress?.(rows.length - writes.length + i + slice.length, rows.length);
  }
  return saved;
}

/** A source's external id belongs to one invoice; the unique index would otherwise fail the whole import. */
async function refuseTakenExternalIds(
  db: Kysely<Database>,
  tenantId: string,
  file: string,
  rows: readonly ImportRow[],
  outcomes: readonly InvoiceOutcome[],
): Promise<void> {
  const externalIds = [
    ...new Set(outcomes.flatMap((o) => (o.values.external_id ? [o.values.external_id] : []))),
  ];
  if (externalIds.length === 0) return;
  const taken = new Map<string, string>();
  const found = await selectInChunks(externalIds, (ids) =>
    db
      .selectFrom('invoices')
      .select(['number', 'source', 'external_id'])
      .where('tenant_id', '=', tenantId)
      .where('external_id', 'in', ids)
      .execute(),
  );
  for (const row of found) taken.set(`${row.source}\u0000${row.external_id}`, row.number);
  const problems: { line: number; message: string }[] = [];
  outcomes.forEach(({ values }, i) => {
    const owner = taken.get(`${values.source}\u0000${values.external_id}`);
    if (owner === undefined || owner === values.number) return;
    const line = rows[i]?.line ?? 0;
    const message = `"${values.external_id}" from ${values.source} belongs to invoice ${owner}`;
    problems.push({ line, message: `${file}:${line}: external_id: ${message}` });
  });
  const first = problems[0];
  if (first) {
    const message = problems.slice(0, 50).map((p) => p.message);
    throw new DulyError('invalid_input', message.join('\n'), {
      file,
      line: first.line,
      field: 'external_id',
    });
  }
}

/** A contract id must name a stored contract: import contracts first (`duly contracts import`). */
async function refuseUnknownContracts(
  db: Kysely<Database>,
  tenantId: string,
  file: string,
  rows: readonly ImportRow[],
): Promise<void> {
  const wanted = [...new Set(rows.flatMap((r) => (r.invoice.contractId ? [r.invoice.contractId] : [])))];
  if (wanted.length === 0) return;
  const found = await selectInChunks(wanted, (ids) =>
    db
      .selectFrom('contracts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute(),
  );
  const known = new Set(found.map((r) => r.id));
  const bad = rows.filter((r) => r.invoice.contractId && !known.has(r.invoice.contractId));
  const first = bad[0];
  if (!first) return;
  const lines = bad
    .slice(0, 50)
    .map(
      (r) =>
        `${file}:${r.line}: contract_id: no contract "${r.invoice.contractId}"; import it first (duly contracts import)`,
    );
  throw new DulyError('invalid_input', lines.join('\n'), { file, line: first.line, field: 'contract_id' });
}
