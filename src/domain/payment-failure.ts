import { dateOfEpochDay, epochDayOf } from './calendar-date.ts';
import { conditionHolds } from './conditions.ts';
import type { DulyConfig, Policy } from './config.ts';
import { type AnchorTimes, instantAnchor, type Occurrence, stepOccurrences } from './occurrences.ts';
import { type PlanEnv, type SubjectPlan, scheduleSteps } from './schedule-steps.ts';
import {
  accountPauseStop,
  findStep,
  type GuardDecision,
  type GuardEnv,
  guardDelivery,
  invoiceStop,
} from './send-guard.ts';
import type { CalendarDate, Instant, InvoiceFacts, Minor, Touch } from './types.ts';
import { zoneClock } from './zone-clock.ts';

/** A card charge or debit that did not go through. */
export interface FailedPayment {
  id: string;
  invoiceId: string;
  amount: Minor;
  currency: string;
  failedAt: Instant;
  reason: string | null;
  /** When a later payment of the invoice succeeded; null while it has not. */
  recoveredAt: Instant | null;
}

/** Everything the planner and the guard need about one failed payment. */
export interface PaymentFacts extends InvoiceFacts {
  payment: FailedPayment;
}

export function paymentAnchors(payment: FailedPayment): AnchorTimes {
  const anchors: AnchorTimes = {};
  const failed = instantAnchor(payment.failedAt);
  const recovered = instantAnchor(payment.recoveredAt);
  if (failed) anchors.failed = failed;
  if (recovered) anchors.recovered = recovered;
  return anchors;
}

/** The `payment_failed` policies whose conditions hold for the invoice today. */
export function paymentFailurePolicies(policies: Policy[], facts: InvoiceFacts, todayDay: number): Policy[] {
  const daysOverdue = todayDay - epochDayOf(facts.invoice.dueOn);
  return policies.filter(
    (p) =>
      p.trigger === 'payment_failed' && conditionHolds(p.when, facts.invoice, facts.account, daysOverdue),
  );
}

const isOwed = (facts: InvoiceFacts) =>
  (facts.invoice.status === 'open' || facts.invoice.status === 'partial') && facts.invoice.balance > 0;

/**
 * Which steps of a failure still apply: before recovery, those timed from the failure (while the
 * invoice is owed); after it, only those timed from the recovery and those that fell before it.
 */
function stillApplies(o: Occurrence, facts: PaymentFacts): boolean {
  const { recoveredAt } = facts.payment;
  if (o.step.at.anchor === 'recovered') return true;
  if (recoveredAt !== null) return o.at !== null && o.at < recoveredAt;
  return isOwed(facts);
}

/**
 * Plans one failed payment under one policy at `now`. Offsets in minutes are stored as fractions of a
 * day, so instants are rounded to the millisecond (the outbox stores whole milliseconds). Pure.
 */
export function planPaymentFailure(
  policy: Policy,
  facts: PaymentFacts,
  now: Instant,
  env: PlanEnv,
): SubjectPlan {
  const horizon = now + env.config.dispatch.planAheadMs;
  const occurrences = stepOccurrences(policy, paymentAnchors(facts.payment), horizon)
    .map((o) => (o.at === null ? o : { ...o, at: Math.round(o.at) }))
    .filter((o) => stillApplies(o, facts));
  const subject = { kind: 'payment' as const, id: facts.payment.id, accountId: facts.account.id };
  return scheduleSteps(policy, subject, facts, occurrences, now, env);
}

/**
 * The last look before a message about a failed payment goes out. The client hears nothing once the
 * payment recovered or the invoice is no longer owed (or is held); the team hears regardless of an
 * account pause. Steps timed from the recovery are news in themselves and always go.
 */
export function guardPaymentTouch(
  touch: Touch,
  facts: PaymentFacts | null,
  now: Instant,
  env: GuardEnv,
): GuardDecision {
  if (!facts) return { kind: 'cancel', reason: 'payment no longer exists' };
  const step = findStep(env.config, touch);
  if (touch.audience === 'client') {
    if (step?.at.anchor === 'recovered') {
      const paused = accountPauseStop(touch, facts, now);
      if (paused) return paused;
    } else {
      if (facts.payment.recoveredAt !== null && facts.payment.recoveredAt <= now) {
        return { kind: 'cancel', reason: 'payment recovered' };
      }
      const stop = invoiceStop(touch, facts, now);
      if (stop) return stop;
    }
  }
  return guardDelivery(touch, facts, now, env);
}

/** Who follows a failed payment up: the account's owner if on the team, else the first collector or manager. */
export function taskOwner(config: DulyConfig, accountOwner: string | null): string | null {
  if (accountOwner !== null && config.team.some((m) => m.id === accountOwner)) return accountOwner;
  const lead = config.team.find((m) => m.roles.includes('collections') || m.roles.includes('manager'));
  return lead?.id ?? null;
}

/** A follow-up is due `days` after today in the team's zone. */
export function taskDueOn(config: DulyConfig, now: Instant, days: number): CalendarDate {
  return dateOfEpochDay(zoneClock(config.timezone).localDay(now) + days);
}
