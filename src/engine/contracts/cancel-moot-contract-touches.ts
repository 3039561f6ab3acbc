import type { Kysely } from 'kysely';
import type { DulyConfig } from '../../domain/config.ts';
import { type ContractFacts, contractTouchMoot } from '../../domain/contract-plan.ts';
import { findStep } from '../../domain/send-guard.ts';
import { type Instant, PENDING_TOUCH_STATES } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import { touchFromRow } from '../../store/touches-repo.ts';

/**
 * Cancels the pending touches about a contract that its new facts make moot (a decision recorded,
 * auto-renewal turned off, a date moved), each with its reason and an audit entry, inside the
 * caller's transaction. The dispatcher's guard asks the same question again at send time.
 */
export async function cancelMootContractTouches(
  db: Kysely<Database>,
  tenantId: string,
  facts: ContractFacts,
  env: { config: DulyConfig; now: Instant; actor: string },
): Promise<number> {
  const rows = await db
    .selectFrom('touches')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_kind', '=', 'contract')
    .where('subject_id', '=', facts.contract.id)
    .where('state', 'in', PENDING_TOUCH_STATES)
    .orderBy('id')
    .execute();
  const today = zoneClock(env.config.timezone).localDay(env.now);
  let cancelled = 0;
  for (const touch of rows.map(touchFromRow)) {
    const step = findStep(env.config, touch);
    if (!step) continue; // the guard skips it at send time, with its own reason
    const reason = contractTouchMoot(touch, step.at.anchor, facts, today);
    if (reason === null) continue;
    const updated = await db
      .updateTable('touches')
      .set({ state: 'cancelled', reason, next_attempt_at: null, updated_at: env.now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', Number(touch.id))
      .where('state', 'in', PENDING_TOUCH_STATES)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) continue;
    cancelled += 1;
    await appendAudit(db, tenantId, [
      {
        at: env.now,
        kind: 'touch.cancelled',
        subject: `touch:${touch.id}`,
        actor: env.actor,
        data: { reason, subject: `contract:${touch.subjectId}`, dedupe_key: touch.dedupeKey },
      },
    ]);
  }
  return cancelled;
}
