import { type Kysely, type Selectable, sql } from 'kysely';
import type { PlannedTouch, Touch, TouchState } from '../domain/types.ts';
import type { DialectName } from './connect.ts';
import type { Database, TouchesTable } from './database.ts';
import { chunks } from './facts-repo.ts';

export type TouchRow = Selectable<TouchesTable>;

/** Inserts planned touches; a dedupe key already in the outbox is left alone. Returns the new rows' ids. */
export async function insertPlannedTouches(
  db: Kysely<Database>,
  tenantId: string,
  touches: PlannedTouch[],
  now: number,
): Promise<{ id: number; dedupe_key: string; due_at: number }[]> {
  const inserted: { id: number; dedupe_key: string; due_at: number }[] = [];
  for (const batch of chunks(touches, 400)) {
    const rows = await db
      .insertInto('touches')
      .values(
        batch.map((t) => ({
          tenant_id: tenantId,
          dedupe_key: t.dedupeKey,
          policy_id: t.policyId,
          step_id: t.stepId,
          step_index: t.stepIndex,
          cycle: t.cycle,
          invoice_id: t.invoiceId,
          account_id: t.accountId,
          audience: t.audience,
          recipient: t.recipient,
          channel: t.channel,
          template: t.template,
          scheduled_at: t.scheduledAt,
          due_at: t.dueAt,
          state: 'planned',
          attempts: 0,
          next_attempt_at: t.dueAt,
          lease_until: null,
          reason: null,
          provider_message_id: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
      .returning(['id', 'dedupe_key', 'due_at'])
      .execute();
    inserted.push(
      ...rows.map((r) => ({ id: Number(r.id), dedupe_key: r.dedupe_key, due_at: Number(r.due_at) })),
    );
  }
  return inserted;
}

/** Sets each invoice's next planning instant in one statement per page. */
export async function setNextPlanAt(
  db: Kysely<Database>,
  dialect: DialectName,
  tenantId: string,
  updates: { id: string; nextPlanAt: number | null }[],
): Promise<void> {
  for (const batch of chunks(updates, 2000)) {
    if (dialect === 'postgres') {
      await sql`update invoices as i set next_plan_at = v.n
        from unnest(${batch.map((u) => u.id)}::text[], ${batch.map((u) => u.nextPlanAt)}::bigint[]) as v(id, n)
        where i.tenant_id = ${tenantId} and i.id = v.id`.execute(db);
    } else {
      // SQLite: a VALUES list joined by UPDATE … FROM (3.33+), 2 parameters a row.
      for (const part of chunks(batch, 400)) {
        const values = sql.join(part.map((u) => sql`(${u.id}, ${u.nextPlanAt})`));
        await sql`with v(id, n) as (values ${values})
          update invoices set next_plan_at = v.n from v where invoices.tenant_id = ${tenantId} and invoices.id = v.id`.execute(
          db,
        );
      }
    }
  }
}

export function touchFromRow(row: TouchRow): Touch {
  return {
    id: String(row.id),
    dedupeKey: row.dedupe_key,
    policyId: row.policy_id,
    stepId: row.step_id,
    stepIndex: row.step_index,
    cycle: row.cycle,
    invoiceId: row.invoice_id,
    accountId: row.account_id,
    audience: row.audience as Touch['audience'],
    recipient: row.recipient,
    channel: row.channel,
    template: row.template,
    scheduledAt: Number(row.scheduled_at),
    dueAt: Number(row.due_at),
    state: row.state as TouchState,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    reason: row.reason,
  };
}
