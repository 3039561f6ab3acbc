import type { Kysely } from 'kysely';
import { epochDayOf } from '../../domain/calendar-date.ts';
import { conditionHolds } from '../../domain/conditions.ts';
import { stepOccurrences } from '../../domain/occurrences.ts';
import type { PlanEnv } from '../../domain/planner.ts';
import { scheduleSteps } from '../../domain/schedule-steps.ts';
import type { Instant, InvoiceFacts, PlannedTouch } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import type { Database } from '../../store/database.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';

/** Team notices about one invoice, timed from an event: a dispute opened, a promise to pay broken. */
export type NoticeTrigger = 'dispute' | 'promise_broken';

const ANCHOR = { dispute: 'disputed', promise_broken: 'broken' } as const;
/** A step that repeats with no end is planned this far ahead; the invoice being paid cancels the rest. */
const REPEAT_HORIZON_MS = 90 * 86_400_000;

/**
 * Plans, into the outbox, the team steps of every policy of `trigger` whose condition holds for the
 * invoice, timed from `at`. Every step is planned at once (each at its own time): the event happens once,
 * and the send-time guard drops what no longer applies. `occasion` makes this event's touches distinct
 * from an earlier one's (a second dispute, another promise). Returns how many touches were new.
 */
export async function planInvoiceNotices(
  db: Kysely<Database>,
  tenantId: string,
  env: PlanEnv,
  notice: { trigger: NoticeTrigger; facts: InvoiceFacts; at: Instant; occasion: string },
  now: Instant,
): Promise<number> {
  const { facts, at } = notice;
  const { invoice, account } = facts;
  const today = zoneClock(account.timezone ?? env.config.timezone).localDay(at);
  const daysOverdue = today - epochDayOf(invoice.dueOn);
  const subject = {
    kind: 'invoice' as const,
    id: invoice.id,
    accountId: account.id,
    key: `${invoice.id}@${notice.occasion}`,
  };
  const touches: PlannedTouch[] = [];
  for (const policy of env.config.policies) {
    if (policy.trigger !== notice.trigger) continue;
    if (!conditionHolds(policy.when, invoice, account, daysOverdue)) continue;
    const anchors = { [ANCHOR[notice.trigger]]: { at } };
    const occurrences = stepOccurrences(policy, anchors, at + REPEAT_HORIZON_MS).filter(
      (o) => o.step.to.every((t) => t.audience === 'team') && (o.at ?? 0) <= at + REPEAT_HORIZON_MS,
    );
    for (const o of occurrences) {
      // Planned as if its own time had come, so it goes out then, moved out of quiet hours as usual.
      const plan = scheduleSteps(policy, subject, facts, [o], Math.max(now, o.at ?? now), env);
      touches.push(...plan.touches);
    }
  }
  return touches.length === 0 ? 0 : insertPlannedTouches(db, tenantId, touches, now);
}
