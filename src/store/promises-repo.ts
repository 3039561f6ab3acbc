import type { Kysely, Selectable } from 'kysely';
import type { PromiseState } from '../domain/promise.ts';
import type { Instant } from '../domain/types.ts';
import type { DialectName } from './connect.ts';
import type { Database, PromisesTable } from './database.ts';
import { selectInChunks } from './select-in-chunks.ts';

export type PromiseRow = Selectable<PromisesTable>;

export interface NewPromise {
  accountId: string;
  invoiceId: string;
  amount: number;
  currency: string;
  promisedOn: string;
  recordedBy: string;
  note: string | null;
  balanceAtPromise: number;
  waitUntil: Instant;
}

export async function insertPromise(
  db: Kysely<Database>,
  tenantId: string,
  promise: NewPromise,
  now: Instant,
): Promise<number> {
  const row = await db
    .insertInto('promises')
    .values({
      tenant_id: tenantId,
      account_id: promise.accountId,
      invoice_id: promise.invoiceId,
      amount: promise.amount,
      currency: promise.currency,
      promised_on: promise.promisedOn,
      state: 'open',
      recorded_by: promise.recordedBy,
      note: promise.note,
      created_at: now,
      resolved_at: null,
      balance_at_promise: promise.balanceAtPromise,
      wait_until: promise.waitUntil,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The open promises of these invoices. */
export async function openPromisesOf(
  db: Kysely<Database>,
  tenantId: string,
  invoiceIds: string[],
): Promise<PromiseRow[]> {
  return selectInChunks([...new Set(invoiceIds)], (ids) =>
    db
      .selectFrom('promises')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'open')
      .where('invoice_id', 'in', ids)
      .execute(),
  );
}

/** Until when client reminders wait, per invoice with an open promise: one query for a planner's page of ids. */
export async function promisedUntilByInvoice(
  db: Kysely<Database>,
  tenantId: string,
  invoiceIds: string[],
): Promise<Map<string, Instant>> {
  const rows = await selectInChunks(
    [...new Set(invoiceIds)],
    (ids) =>
      db
        .selectFrom('promises')
        .select(['invoice_id', 'wait_until'])
        .where('tenant_id', '=', tenantId)
        .where('state', '=', 'open')
        .where('invoice_id', 'in', ids)
        .execute(),
    5000,
  );
  const result = new Map<string, Instant>();
  for (const row of rows) if (row.wait_until !== null) result.set(row.invoice_id, Number(row.wait_until));
  return result;
}

/** Open promises whose day has ended by `now`, oldest first. */
export async function openPromisesDue(
  db: Kysely<Database>,
  dialect: DialectName,
  tenantId: string,
  now: Instant,
  limit: number,
): Promise<PromiseRow[]> {
  return (
    db
      .selectFrom('promises')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'open')
      .where('wait_until', '<=', now)
      .orderBy('wait_until')
      .orderBy('id')
      .limit(limit)
      // Workers sharing PostgreSQL judge each promise once.
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
      .execute()
  );
}

export async function resolvePromises(
  db: Kysely<Database>,
  tenantId: string,
  ids: number[],
  state: Exclude<PromiseState, 'open'>,
  now: Instant,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('promises')
      .set({ state, resolved_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('state', '=', 'open')
      .execute();
  }
}

export interface PromiseListing extends PromiseRow {
  invoice_number: string;
}

/** Promises with their invoice number, newest first; `state` narrows them. */
export async function listPromises(
  db: Kysely<Database>,
  tenantId: string,
  filter: { state?: PromiseState; limit: number },
): Promise<PromiseListing[]> {
  let query = db
    .selectFrom('promises')
    .innerJoin('invoices', (j) =>
      j
        .onRef('invoices.tenant_id', '=', 'promises.tenant_id')
        .onRef('invoices.id', '=', 'promises.invoice_id'),
    )
    .selectAll('promises')
    .select('invoices.number as invoice_number')
    .where('promises.tenant_id', '=', tenantId);
  if (filter.state) query = query.where('promises.state', '=', filter.state);
  return query.orderBy('promises.id', 'desc').limit(filter.limit).execute();
}
