import { CompiledQuery, type Kysely, sql } from 'kysely';
import { MANUAL_CYCLE, PENDING_TOUCH_STATES } from '../domain/types.ts';
import type { DialectName } from './connect.ts';
import type { Database } from './database.ts';
import { chunks } from './facts-repo.ts';
import type { TouchRow } from './touches-repo.ts';

/**
 * Takes up to `limit` touches that are due, or whose claim lapsed (their worker died mid-send), in
 * the order they fell due and by account, so that one account's touches due together arrive in one
 * batch and can go out as one message: a batch that ends inside an account's group takes the rest of
 * that group too. Rows are locked for the caller's transaction (PostgreSQL: `FOR UPDATE SKIP LOCKED`,
 * so workers claim side by side; SQLite: the transaction holds the only write lock).
 */
export async function selectDueTouches(
  db: Kysely<Database>,
  dialect: DialectName,
  tenantId: string,
  now: number,
  limit: number,
  /** Only these touches (an urgent event's own), if given. */
  onlyIds?: number[],
): Promise<TouchRow[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  // Literals, not parameters: SQLite uses a partial index only when it can prove the query's WHERE implies it.
  const pending = sql.join(PENDING_TOUCH_STATES.map((s) => sql.lit(s)));
  if (onlyIds) {
    if (onlyIds.length === 0) return [];
    const only = await sql<TouchRow>`select * from touches
      where tenant_id = ${tenantId} and id in (${sql.join(onlyIds.slice(0, 900))})
        and ((state in (${pending}) and next_attempt_at <= ${now}) or (state = 'sending' and lease_until <= ${now}))
      order by next_attempt_at, id limit ${limit} ${lock}`.execute(db);
    return only.rows;
  }
  const lapsed = await sql<TouchRow>`select * from touches
    where tenant_id = ${tenantId} and state = 'sending' and lease_until <= ${now}
    order by lease_until limit ${limit} ${lock}`.execute(db);
  if (lapsed.rows.length >= limit) return lapsed.rows;
  const due = await sql<TouchRow>`select * from touches
    where tenant_id = ${tenantId} and state in (${pending}) and next_attempt_at <= ${now}
    order by next_attempt_at, account_id limit ${limit - lapsed.rows.length} ${lock}`.execute(db);
  const rows = [...lapsed.rows, ...due.rows];
  const last = due.rows[due.rows.length - 1];
  if (!last || due.rows.length < limit - lapsed.rows.length) return rows;
  const taken = due.rows.filter((r) => r.account_id === last.account_id).map((r) => r.id);
  const rest = await sql<TouchRow>`select * from touches
    where tenant_id = ${tenantId} and state in (${pending}) and next_attempt_at = ${last.next_attempt_at}
      and account_id = ${last.account_id} and id not in (${sql.join(taken)}) ${lock}`.execute(db);
  return [...rows, ...rest.rows];
}

/**
 * The claimed touches that a later step for the same subject, policy and recipient, also due and still
 * pending, supersedes (catch-up `latest`). Asked of the database, so that only the few superseded come
 * back rather than every touch of every claimed subject. A step sent by hand supersedes nothing.
 * The `|| ''` and `+ 0` steer SQLite: the claimed touches by id (not a scan of the tenant's), and
 * their siblings by subject (a handful of rows, not a scan of everything due).
 */
export async function supersededTouchIds(
  db: Kysely<Database>,
  tenantId: string,
  touchIds: number[],
  now: number,
): Promise<Set<number>> {
  const superseded = new Set<number>();
  const pending = sql.join(PENDING_TOUCH_STATES.map((s) => sql.lit(s)));
  for (const ids of chunks(touchIds, 900)) {
    const rows = await sql<{ id: number }>`select t.id from touches t
      where t.tenant_id || '' = ${tenantId} and t.id in (${sql.join(ids)}) and exists (
        select 1 from touches o
        where o.tenant_id = t.tenant_id and o.subject_id = t.subject_id and o.subject_kind = t.subject_kind
          and o.policy_id = t.policy_id and o.audience = t.audience and o.recipient = t.recipient
          and o.scheduled_at > t.scheduled_at and o.cycle <> ${sql.lit(MANUAL_CYCLE)}
          and o.state in (${pending}) and o.next_attempt_at + 0 <= ${now})`.execute(db);
    for (const row of rows.rows) superseded.add(Number(row.id));
  }
  return superseded;
}

/** Pushes out the lease of touches still being sent, so a long batch is not taken up by another worker. */
export async function extendLeases(
  db: Kysely<Database>,
  ids: number[],
  now: number,
  leaseMs: number,
): Promise<void> {
  for (const batch of chunks(ids, 900)) {
    await db
      .updateTable('touches')
      .set({ lease_until: now + leaseMs })
      .where('id', 'in', batch)
      .where('state', '=', 'sending')
      .execute();
  }
}

/** Marks touches `sending` under a lease and counts the attempt: their send happens after this commits. */
export async function markSending(
  db: Kysely<Database>,
  ids: number[],
  now: number,
  leaseMs: number,
): Promise<void> {
  for (const batch of chunks(ids, 900)) {
    await db
      .updateTable('touches')
      .set((eb) => ({
        state: 'sending',
        lease_until: now + leaseMs,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', batch)
      .execute();
  }
}

export interface TouchUpdate {
  id: number;
  state: string;
  reason: string | null;
  nextAttemptAt: number | null;
  providerMessageId: string | null;
  /** Added to the attempt count: +1 for an attempt not counted by markSending, -1 to undo a claim. */
  attemptsDelta?: number;
  /**
   * For the outcome of a send made after the claim committed: apply it only while this worker still
   * holds the claim (`sending`, this attempt). A `sent` applies anyway unless already sent: it happened.
   */
  claimedAttempt?: number;
}

/** The condition under which an outcome `v` still applies to touch `t` (see TouchUpdate.claimedAttempt). */
const stillOurs = (t: string) =>
  `(v.claimed is null or (${t}.state = 'sending' and ${t}.attempts = v.claimed)
      or (v.state = 'sent' and ${t}.state not in ('sent', 'delivered')))`;

// The SQLite statement per row count: built once, so a tick binds values instead of building 100,000 nodes.
const sqliteUpdateTexts = new Map<number, string>();

function sqliteUpdateText(rows: number): string {
  let text = sqliteUpdateTexts.get(rows);
  if (text === undefined) {
    text = `with v(id, state, reason, next, pmid, delta, claimed) as (values ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')})
        update touches set state = v.state, reason = v.reason, next_attempt_at = v.next,
          provider_message_id = coalesce(v.pmid, touches.provider_message_id), attempts = touches.attempts + v.delta,
          lease_until = null, updated_at = ?
        from v where touches.id = v.id and ${stillOurs('touches')}
        returning touches.id`;
    sqliteUpdateTexts.set(rows, text);
  }
  return text;
}

/**
 * Writes the outcome of many touches in few statements (VALUES on SQLite, unnest on PostgreSQL).
 * Returns the ids it changed: an outcome whose claim had passed to another worker changes nothing.
 */
export async function updateTouches(
  db: Kysely<Database>,
  dialect: DialectName,
  updates: TouchUpdate[],
  now: number,
): Promise<Set<number>> {
  const changed = new Set<number>();
  for (const batch of chunks(updates, dialect === 'postgres' ? 5000 : 300)) {
    if (dialect === 'postgres') {
      const result = await sql<{ id: number }>`update touches as t set state = v.state, reason = v.reason,
          next_attempt_at = v.next, provider_message_id = coalesce(v.pmid, t.provider_message_id),
          attempts = t.attempts + v.delta, lease_until = null, updated_at = ${now}
        from unnest(${batch.map((u) => u.id)}::bigint[], ${batch.map((u) => u.state)}::text[],
          ${batch.map((u) => u.reason)}::text[], ${batch.map((u) => u.nextAttemptAt)}::bigint[],
          ${batch.map((u) => u.providerMessageId)}::text[], ${batch.map((u) => u.attemptsDelta ?? 0)}::int[],
          ${batch.map((u) => u.claimedAttempt ?? null)}::int[])
          as v(id, state, reason, next, pmid, delta, claimed)
        where t.id = v.id and ${sql.raw(stillOurs('t'))}
        returning t.id`.execute(db);
      for (const row of result.rows) changed.add(Number(row.id));
    } else {
      const params: unknown[] = [];
      for (const u of batch) {
        params.push(u.id, u.state, u.reason, u.nextAttemptAt, u.providerMessageId);
        params.push(u.attemptsDelta ?? 0, u.claimedAttempt ?? null);
      }
      params.push(now);
      const result = await db.executeQuery<{ id: number }>(
        CompiledQuery.raw(sqliteUpdateText(batch.length), params),
      );
      for (const row of result.rows) changed.add(Number(row.id));
    }
  }
  return changed;
}
