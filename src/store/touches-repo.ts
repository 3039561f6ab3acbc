import { type Kysely, type Selectable, sql } from 'kysely';
import type { PlannedTouch, SubjectKind, Touch, TouchState } from '../domain/types.ts';
import type { DialectName } from './connect.ts';
import type { Database, TouchesTable } from './database.ts';
import { chunks } from './facts-repo.ts';
import { insertRows } from './insert-rows.ts';

export type TouchRow = Selectable<TouchesTable>;

const TOUCH_COLUMNS = [
  'tenant_id',
  'dedupe_key',
  'policy_id',
  'step_id',
  'step_index',
  'cycle',
  'subject_kind',
  'subject_id',
  'account_id',
  'audience',
  'recipient',
  'channel',
  'template',
  'scheduled_at',
  'due_at',
  'state',
  'attempts',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

/** Inserts planned touches; a dedupe key already in the outbox is left alone. Returns how many were new. */
export async function insertPlannedTouches(
  db: Kysely<Database>,
  tenantId: string,
  touches: PlannedTouch[],
  now: number,
): Promise<number> {
  const rows = touches.map((t) => [
    tenantId,
    t.dedupeKey,
    t.policyId,
    t.stepId,
    t.stepIndex,
    t.cycle,
    t.subjectKind,
    t.subjectId,
    t.accountId,
    t.audience,
    t.recipient,
    t.channel,
    t.template,
    t.scheduledAt,
    t.dueAt,
    'planned',
    0,
    t.dueAt,
    now,
    now,
  ]);
  return insertRows(db, 'touches', TOUCH_COLUMNS, rows, {
    chunk: 400,
    onConflict: { columns: ['tenant_id', 'dedupe_key'], update: [] },
  });
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
    subjectKind: row.subject_kind as SubjectKind,
    subjectId: row.subject_id,
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
