import { type Kysely, sql } from 'kysely';
import { PENDING_TOUCH_STATES } from '../domain/types.ts';
import type { DialectName } from './connect.ts';
import type { Database } from './database.ts';
import { chunks } from './facts-repo.ts';
import type { TouchRow } from './touches-repo.ts';

/**
 * Claims up to `limit` touches that are due (or whose claim lapsed after a crash): marks them
 * `sending` with a lease and counts the attempt, in one statement. On PostgreSQL, `SKIP LOCKED`
 * lets any number of workers claim side by side without taking the same row.
 */
export async function claimDueTouches(
  db: Kysely<Database>,
  dialect: DialectName,
  tenantId: string,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<TouchRow[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const pending = sql.join(PENDING_TOUCH_STATES.map((s) => sql`${s}`));
  const claim = (which: ReturnType<typeof sql>) => sql<TouchRow>`
    update touches set state = 'sending', lease_until = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}
    where id in (${which})
    returning *`;
  // Claims that lapsed (their worker died mid-send) come first; they are rare and few.
  const lapsed = await claim(sql`select id from touches
      where state = 'sending' and lease_until <= ${now} and tenant_id = ${tenantId}
      order by lease_until limit ${limit} ${lock}`).execute(db);
  if (lapsed.rows.length >= limit) return lapsed.rows;
  const due = await claim(sql`select id from touches
      where state in (${pending}) and next_attempt_at <= ${now} and tenant_id = ${tenantId}
      order by next_attempt_at limit ${limit - lapsed.rows.length} ${lock}`).execute(db);
  return [...lapsed.rows, ...due.rows];
}

export interface TouchUpdate {
  id: number;
  state: string;
  reason: string | null;
  nextAttemptAt: number | null;
  providerMessageId: string | null;
  /** Undo the attempt count of a claim that was given back unsent. */
  attemptsDelta?: number;
}

/** Writes the outcome of many touches in few statements (VALUES on SQLite, unnest on PostgreSQL). */
export async function updateTouches(
  db: Kysely<Database>,
  dialect: DialectName,
  updates: TouchUpdate[],
  now: number,
): Promise<void> {
  for (const batch of chunks(updates, dialect === 'postgres' ? 5000 : 300)) {
    if (dialect === 'postgres') {
      await sql`update touches as t set state = v.state, reason = v.reason, next_attempt_at = v.next,
          provider_message_id = coalesce(v.pmid, t.provider_message_id), attempts = t.attempts + v.delta,
          lease_until = null, updated_at = ${now}
        from unnest(${batch.map((u) => u.id)}::bigint[], ${batch.map((u) => u.state)}::text[],
          ${batch.map((u) => u.reason)}::text[], ${batch.map((u) => u.nextAttemptAt)}::bigint[],
          ${batch.map((u) => u.providerMessageId)}::text[], ${batch.map((u) => u.attemptsDelta ?? 0)}::int[])
          as v(id, state, reason, next, pmid, delta)
        where t.id = v.id`.execute(db);
    } else {
      const values = sql.join(
        batch.map(
          (u) =>
            sql`(${u.id}, ${u.state}, ${u.reason}, ${u.nextAttemptAt}, ${u.providerMessageId}, ${u.attemptsDelta ?? 0})`,
        ),
      );
      await sql`with v(id, state, reason, next, pmid, delta) as (values ${values})
        update touches set state = v.state, reason = v.reason, next_attempt_at = v.next,
          provider_message_id = coalesce(v.pmid, touches.provider_message_id), attempts = touches.attempts + v.delta,
          lease_until = null, updated_at = ${now}
        from v where touches.id = v.id`.execute(db);
    }
  }
}
