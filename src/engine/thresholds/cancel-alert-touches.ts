import type { Kysely } from 'kysely';
import { type Instant, PENDING_TOUCH_STATES } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';

/**
 * Cancels the waiting touches of one threshold policy about these accounts, with `reason`, and audits
 * each. Unlike cancelPendingTouches it keeps to one policy: an account can clear the escalation line and
 * still be over the owner's alert line.
 */
export async function cancelAlertTouches(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  reasons: Map<string, string>,
  now: Instant,
  actor: string,
): Promise<number> {
  const cancelled: { id: number | string; subject_id: string; dedupe_key: string; reason: string }[] = [];
  for (const [accountId, reason] of reasons) {
    const rows = await db
      .updateTable('touches')
      .set({ state: 'cancelled', reason, next_attempt_at: null, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_kind', '=', 'account')
      .where('subject_id', '=', accountId)
      .where('policy_id', '=', policyId)
      .where('state', 'in', PENDING_TOUCH_STATES)
      .returning(['id', 'subject_id', 'dedupe_key'])
      .execute();
    for (const row of rows) cancelled.push({ ...row, reason });
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
      data: { reason: touch.reason, subject: `account:${touch.subject_id}`, dedupe_key: touch.dedupe_key },
    })),
  );
  return cancelled.length;
}
