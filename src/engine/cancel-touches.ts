import type { Kysely } from 'kysely';
import { type Instant, PENDING_TOUCH_STATES, type SubjectKind } from '../domain/types.ts';
import { appendAudit } from '../store/audit.ts';
import type { Database } from '../store/database.ts';

const CHUNK = 500;

/**
 * Cancels every touch still waiting to be sent (planned, retrying, deferred) about these subjects
 * (invoices unless `kind` says otherwise; of one policy only when `policyId` is given), with `reason`
 * ("invoice paid"), and records each cancellation in the audit trail. Call it inside the transaction
 * that changed the subjects, so a send can never slip between the change and the cancel. Returns how
 * many touches were cancelled.
 */
export async function cancelPendingTouches(
  db: Kysely<Database>,
  tenantId: string,
  subjectIds: string[],
  reason: string,
  now: Instant,
  actor: string,
  kind: SubjectKind = 'invoice',
  policyId: string | null = null,
): Promise<number> {
  const cancelled: { id: number; subject_id: string; dedupe_key: string }[] = [];
  for (let i = 0; i < subjectIds.length; i += CHUNK) {
    let update = db
      .updateTable('touches')
      .set({ state: 'cancelled', reason, next_attempt_at: null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_id', 'in', subjectIds.slice(i, i + CHUNK))
      .where('subject_kind', '=', kind)
      .where('state', 'in', PENDING_TOUCH_STATES);
    if (policyId !== null) update = update.where('policy_id', '=', policyId);
    const rows = await update.returning(['id', 'subject_id', 'dedupe_key']).execute();
    for (const row of rows) cancelled.push(row);
  }
  cancelled.sort((a, b) => Number(a.id) - Number(b.id));
  await appendAudit(
    db,
    tenantId,
    cancelled.map((touch) => ({
      at: now,
      kind: 'touch.cancelled',
      subject: `touch:${touch.id}`,
      actor,
      data: { reason, subject: `${kind}:${touch.subject_id}`, dedupe_key: touch.dedupe_key },
    })),
  );
  return cancelled.length;
}
