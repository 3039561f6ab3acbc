import type { Kysely, Selectable } from 'kysely';
import type { CalendarDate, Instant } from '../domain/types.ts';
import type { Database, TasksTable } from './database.ts';

export type TaskRow = Selectable<TasksTable>;

export interface NewTask {
  dedupeKey: string;
  kind: string;
  title: string;
  owner: string | null;
  dueOn: CalendarDate;
  accountId: string;
  invoiceId: string | null;
}

export type TaskStateFilter = 'open' | 'done' | 'all';

/** Opens a task once per dedupe key; returns the task, new or already there, and whether it is new. */
export async function openTask(
  db: Kysely<Database>,
  tenantId: string,
  task: NewTask,
  now: Instant,
): Promise<{ row: TaskRow; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values({
      tenant_id: tenantId,
      dedupe_key: task.dedupeKey,
      kind: task.kind,
      title: task.title,
      owner: task.owner,
      due_on: task.dueOn,
      account_id: task.accountId,
      invoice_id: task.invoiceId,
      state: 'open',
      closed_reason: null,
      created_at: now,
      closed_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const row = await db
    .selectFrom('tasks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('dedupe_key', '=', task.dedupeKey)
    .executeTakeFirstOrThrow();
  return { row, created: false };
}

/** Tasks with the invoice number they are about, oldest due first. */
export async function listTasks(db: Kysely<Database>, tenantId: string, state: TaskStateFilter) {
  let query = db
    .selectFrom('tasks')
    .leftJoin('invoices', (j) =>
      j.onRef('invoices.id', '=', 'tasks.invoice_id').onRef('invoices.tenant_id', '=', 'tasks.tenant_id'),
    )
    .selectAll('tasks')
    .select('invoices.number as invoice_number')
    .where('tasks.tenant_id', '=', tenantId)
    .orderBy('tasks.due_on')
    .orderBy('tasks.id');
  if (state !== 'all') query = query.where('tasks.state', '=', state);
  return query.execute();
}

export async function findTask(db: Kysely<Database>, tenantId: string, id: number) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Closes open tasks chosen by id, dedupe key or invoice (and kind); returns the tasks it closed. */
export async function closeTasks(
  db: Kysely<Database>,
  tenantId: string,
  which: { ids?: number[]; dedupeKeys?: string[]; invoiceIds?: string[]; kind?: string },
  reason: string,
  now: Instant,
): Promise<TaskRow[]> {
  const lists = [which.ids, which.dedupeKeys, which.invoiceIds];
  if (lists.every((list) => !list || list.length === 0)) return [];
  let query = db
    .updateTable('tasks')
    .set({ state: 'done', closed_reason: reason, closed_at: now })
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'open');
  if (which.ids?.length) query = query.where('id', 'in', which.ids);
  if (which.dedupeKeys?.length) query = query.where('dedupe_key', 'in', which.dedupeKeys);
  if (which.invoiceIds?.length) query = query.where('invoice_id', 'in', which.invoiceIds);
  if (which.kind) query = query.where('kind', '=', which.kind);
  const rows = await query.returningAll().execute();
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}
