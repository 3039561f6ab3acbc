import { epochDayOf } from './calendar-date.ts';
import type { Anchor, Condition, Policy } from './config.ts';
import { type AnchorTimes, type Occurrence, stepOccurrences } from './occurrences.ts';
import { type PlanEnv, type SubjectPlan, scheduleSteps } from './schedule-steps.ts';
import type { AccountFacts, CalendarDate, Instant, Minor, Touch } from './types.ts';
import { zoneClock } from './zone-clock.ts';

export const CONTRACT_KINDS = ['contract', 'subscription', 'recurring_job'] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];
export const CONTRACT_DECISIONS = ['renew', 'renegotiate', 'end'] as const;
export type ContractDecision = (typeof CONTRACT_DECISIONS)[number];
/** The triggers whose subject is a contract. */
export const CONTRACT_TRIGGERS: ReadonlySet<Policy['trigger']> = new Set([
  'recurring',
  'contract_end',
  'renewal',
]);

export interface Contract {
  id: string;
  accountId: string;
  name: string;
  kind: ContractKind;
  amount: Minor | null;
  currency: string | null;
  startsOn: CalendarDate | null;
  endsOn: CalendarDate | null;
  autoRenew: boolean;
  renewsOn: CalendarDate | null;
  nextInvoiceOn: CalendarDate | null;
  decision: ContractDecision | null;
  decidedAt: Instant | null;
  decidedBy: string | null;
  decisionNote: string | null;
}

/** The contract's most recent invoice (by `invoices.contract_id`). */
export interface ContractInvoice {
  number: string;
  amount: Minor;
  currency: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
}

export interface ContractFacts extends AccountFacts {
  contract: Contract;
  lastInvoice: ContractInvoice | null;
}

/** How long after it is issued an invoice still gets its "it has gone out" confirmation. */
export const ISSUED_WINDOW_DAYS = 30;

/**
 * The period an anchor stands for today, or why there is none: the date (or, for `issued`, the invoice
 * number) that makes a notice about this contract distinct from the same notice next period.
 */
export type AnchorPeriod = { period: string; day: number } | { none: string };

export function anchorPeriod(anchor: Anchor, facts: ContractFacts, today: number): AnchorPeriod {
  const { contract, lastInvoice } = facts;
  const date = (value: CalendarDate | null, missing: string): AnchorPeriod =>
    value === null ? { none: missing } : { period: value, day: epochDayOf(value) };
  switch (anchor) {
    case 'next_invoice':
      return date(contract.nextInvoiceOn, 'the contract has no next invoice date');
    case 'issued': {
      if (!lastInvoice) return { none: 'no invoice was issued from this contract' };
      const day = epochDayOf(lastInvoice.issuedOn);
      if (today - day > ISSUED_WINDOW_DAYS)
        return { none: `invoice ${lastInvoice.number} was issued over ${ISSUED_WINDOW_DAYS} days ago` };
      return { period: lastInvoice.number, day };
    }
    case 'end':
      if (contract.decision !== null) return { none: `decision recorded: ${contract.decision}` };
      return date(contract.endsOn, 'the contract has no end date');
    case 'renewal':
      if (!contract.autoRenew) return { none: 'auto-renewal is off' };
      return date(contract.renewsOn, 'the contract has no renewal date');
    default:
      return { none: `${anchor} is not a contract date` };
  }
}

/** `C-1@2026-12-01`: a contract in one period, as dedupe keys name it. */
export const contractPeriodKey = (contractId: string, period: string) => `${contractId}@${period}`;

/** Account tags are all a contract policy's `when` can test; invoice conditions do not apply. */
function tagsHold(condition: Condition | null, facts: ContractFacts): boolean {
  const tags = facts.account.tags;
  if (condition?.tagsAny && !condition.tagsAny.some((t) => tags.includes(t))) return false;
  if (condition?.tagsNone?.some((t) => tags.includes(t))) return false;
  return true;
}

/**
 * Plans one contract under one recurring, contract_end or renewal policy at `now`. Each anchor is its
 * own period (`C-1@2026-12-01`), so the next renewal or invoice is told about again. A period is over
 * once both its date and its last step are past: a contract stored with a renewal long gone sends nothing.
 * `today` is the day in the config's zone. Pure.
 */
export function planContract(policy: Policy, facts: ContractFacts, now: Instant, env: PlanEnv): SubjectPlan {
  const plan: SubjectPlan = { touches: [], nextPlanAt: null };
  if (!CONTRACT_TRIGGERS.has(policy.trigger) || !tagsHold(policy.when, facts)) return plan;
  const today = zoneClock(env.config.timezone).localDay(now);
  const anchors = new Set(policy.steps.map((s) => s.at.anchor));
  for (const anchor of anchors) {
    const found = anchorPeriod(anchor, facts, today);
    if ('none' in found) continue;
    const lastStepDay = Math.max(
      ...policy.steps.filter((s) => s.at.anchor === anchor).map((s) => found.day + s.at.days),
    );
    if (anchor !== 'issued' && Math.max(found.day, lastStepDay) < today) continue;
    const times: AnchorTimes = { [anchor]: { day: found.day } };
    const occurrences = stepOccurrences(policy, times).filter(
      (o: Occurrence) => o.step.at.anchor === anchor && tagsHold(o.step.when, facts),
    );
    const subject = {
      kind: 'contract' as const,
      id: facts.contract.id,
      accountId: facts.account.id,
      key: contractPeriodKey(facts.contract.id, found.period),
    };
    const part = scheduleSteps(policy, subject, facts, occurrences, now, env);
    plan.touches.push(...part.touches);
    if (part.nextPlanAt !== null && (plan.nextPlanAt === null || part.nextPlanAt < plan.nextPlanAt))
      plan.nextPlanAt = part.nextPlanAt;
  }
  return plan;
}

/** Every contract policy's plan for one contract, with the earliest next planning instant. */
export function planContractPolicies(
  policies: Policy[],
  facts: ContractFacts,
  now: Instant,
  env: PlanEnv,
): SubjectPlan {
  const plan: SubjectPlan = { touches: [], nextPlanAt: null };
  for (const policy of policies) {
    const part = planContract(policy, facts, now, env);
    plan.touches.push(...part.touches);
    if (part.nextPlanAt !== null && (plan.nextPlanAt === null || part.nextPlanAt < plan.nextPlanAt))
      plan.nextPlanAt = part.nextPlanAt;
  }
  return plan;
}

const FIELD_OF: Partial<Record<Anchor, string>> = {
  next_invoice: 'next_invoice_on',
  end: 'ends_on',
  renewal: 'renews_on',
};

/**
 * Whether a planned touch about a contract is moot: its period is over (a decision was recorded,
 * auto-renewal turned off) or its date moved (the touch names the old date in its dedupe key).
 * Returns the reason to cancel it, or null when it still stands.
 */
export function contractTouchMoot(
  touch: Pick<Touch, 'policyId' | 'stepId' | 'cycle' | 'dedupeKey'>,
  anchor: Anchor,
  facts: ContractFacts,
  today: number,
): string | null {
  const found = anchorPeriod(anchor, facts, today);
  if ('none' in found) return found.none;
  const key = contractPeriodKey(facts.contract.id, found.period);
  if (touch.dedupeKey.startsWith(`${touch.policyId}/${touch.stepId}/${touch.cycle}/${key}/`)) return null;
  return anchor === 'issued'
    ? `a newer invoice was issued: ${found.period}`
    : `${FIELD_OF[anchor] ?? anchor} moved to ${found.period}`;
}

/** The date a touch's period names (`2026-12-01` in `C-1@2026-12-01`), or null for an invoice period. */
export function touchPeriodDate(
  touch: Pick<Touch, 'policyId' | 'stepId' | 'cycle' | 'dedupeKey' | 'subjectId'>,
): CalendarDate | null {
  const prefix = `${touch.policyId}/${touch.stepId}/${touch.cycle}/${touch.subjectId}@`;
  if (!touch.dedupeKey.startsWith(prefix)) return null;
  const date = touch.dedupeKey.slice(prefix.length, prefix.length + 11);
  return /^\d{4}-\d{2}-\d{2}\/$/.test(date) ? date.slice(0, 10) : null;
}
