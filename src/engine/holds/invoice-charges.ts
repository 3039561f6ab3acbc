import type { DulyConfig } from '../../domain/config.ts';
import {
  type ChargeQuote,
  type DiscountQuote,
  quoteEarlyPaymentDiscount,
  quoteLateCharge,
} from '../../domain/late-charges.ts';
import { findPolicy, findStep } from '../../domain/send-guard.ts';
import type { Instant, InvoiceFacts, Touch } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';

type TouchRef = Pick<Touch, 'policyId' | 'stepId'>;

/**
 * Charges and discounts go by the local day of the account (not of each recipient), so every message
 * about one step quotes the same amount as the charge recorded for it.
 */
function accountDay(facts: InvoiceFacts, config: DulyConfig, now: Instant): number {
  return zoneClock(facts.account.timezone ?? config.timezone).localDay(now);
}

/** The late fee or interest a touch's step adds to its invoice at `now`, or null. */
export function touchCharge(
  touch: TouchRef,
  facts: InvoiceFacts,
  config: DulyConfig,
  now: Instant,
): ChargeQuote | null {
  const charge = findStep(config, touch)?.charge;
  return charge ? quoteLateCharge(charge, facts.invoice, accountDay(facts, config, now)) : null;
}

/** The early-payment discount a touch's policy quotes for its invoice at `now`, or null. */
export function touchDiscount(
  touch: TouchRef,
  facts: InvoiceFacts,
  config: DulyConfig,
  now: Instant,
): DiscountQuote | null {
  const discount = findPolicy(config, touch)?.earlyPaymentDiscount;
  return discount ? quoteEarlyPaymentDiscount(discount, facts.invoice, accountDay(facts, config, now)) : null;
}

/**
 * One charge per invoice, policy step and cycle: the touch's dedupe key without its recipient and channel,
 * so a step sent by email and SMS, or retried, records its charge once.
 */
export function chargeDedupeKey(
  touch: Pick<Touch, 'dedupeKey' | 'audience' | 'recipient' | 'channel'>,
): string {
  const tail = `/${touch.audience}:${touch.recipient}/${touch.channel}`;
  return touch.dedupeKey.endsWith(tail) ? touch.dedupeKey.slice(0, -tail.length) : touch.dedupeKey;
}
