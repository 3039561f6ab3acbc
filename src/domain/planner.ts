import { epochDayOf } from './calendar-date.ts';
import { conditionHolds } from './conditions.ts';
import type { Policy } from './config.ts';
import { invoiceAnchors, stepOccurrences } from './occurrences.ts';
import { type PlanEnv, type SubjectPlan, scheduleSteps } from './schedule-steps.ts';
import { type Instant, type InvoiceFacts, OWED_STATUSES } from './types.ts';
import { zoneClock } from './zone-clock.ts';

export {
  NONE_CATCH_UP_GRACE_MS,
  type PlanEnv,
  type SubjectPlan as InvoicePlan,
  touchDedupeKey,
} from './schedule-steps.ts';

const NOTHING: SubjectPlan = { touches: [], nextPlanAt: null };

/**
 * The dunning policy for an invoice: the account's own policy when staff set one, else the first
 * invoice policy whose conditions hold today.
 */
export function selectPolicy(policies: Policy[], facts: InvoiceFacts, todayDay: number): Policy | null {
  if (facts.account.policyId !== null) {
    const own = policies.find((p) => p.id === facts.account.policyId && p.trigger === 'invoice');
    if (own) return own;
  }
  const daysOverdue = todayDay - epochDayOf(facts.invoice.dueOn);
  return (
    policies.find(
      (p) => p.trigger === 'invoice' && conditionHolds(p.when, facts.invoice, facts.account, daysOverdue),
    ) ?? null
  );
}

/** Whether the invoice is owed and not held at all: the planner's first gate. */
export function isCollectable(facts: InvoiceFacts): boolean {
  const { invoice } = facts;
  return OWED_STATUSES.includes(invoice.status) && invoice.balance > 0 && !invoice.disputed;
}

/**
 * Plans one invoice at `now`: the touches whose step time has come (after catch-up rules), those due
 * within the plan-ahead window, and the next instant a step enters that window. Pure: the same input
 * always gives the same plan.
 */
export function planInvoice(
  policies: Policy[],
  facts: InvoiceFacts,
  now: Instant,
  env: PlanEnv,
  /** Until when client reminders wait for a promise to pay, if one is open. */
  promisedUntil: Instant | null = null,
): SubjectPlan {
  if (!isCollectable(facts)) return NOTHING;
  const holdUntil = Math.max(facts.account.pausedUntil ?? 0, facts.invoice.pausedUntil ?? 0);
  if (holdUntil > now) return { touches: [], nextPlanAt: holdUntil };

  const policy = selectPolicy(policies, facts, zoneClock(env.config.timezone).localDay(now));
  if (!policy) return NOTHING;

  const dueDay = epochDayOf(facts.invoice.dueOn);
  const skipPreDue = policy.skipPreDueForAutoPay && facts.account.autoPay;
  // Staff turned this invoice's client reminders off, or the client promised to pay: the team still hears.
  const clientQuiet = facts.invoice.optedOut || (promisedUntil !== null && promisedUntil > now);
  const occurrences = stepOccurrences(policy, invoiceAnchors(facts.invoice)).filter(
    (o) =>
      !(skipPreDue && o.day < dueDay) &&
      !(clientQuiet && o.step.to.every((t) => t.audience === 'client')) &&
      conditionHolds(o.step.when, facts.invoice, facts.account, o.day - dueDay),
  );
  const subject = { kind: 'invoice' as const, id: facts.invoice.id, accountId: facts.account.id };
  const plan = scheduleSteps(policy, subject, facts, occurrences, now, env);
  if (promisedUntil !== null && promisedUntil > now && !facts.invoice.optedOut) {
    // Look again when the promise falls due: reminders resume if it was not kept.
    plan.nextPlanAt = plan.nextPlanAt === null ? promisedUntil : Math.min(plan.nextPlanAt, promisedUntil);
  }
  return plan;
}
