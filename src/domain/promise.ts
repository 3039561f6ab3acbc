import { epochDayOf } from './calendar-date.ts';
import type { CalendarDate, Instant, Invoice, Minor } from './types.ts';
import { zoneClock } from './zone-clock.ts';

export const PROMISE_STATES = ['open', 'kept', 'broken', 'withdrawn'] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

/** A client's promise to pay an amount by a date, as the rules need it. */
export interface PromiseTerms {
  amount: Minor;
  /** The invoice's balance when the promise was made. */
  balanceAtPromise: Minor;
  /** When reminders may resume: the end of the promised day in the account's zone. */
  waitUntil: Instant;
}

/** Client reminders wait until the end of the promised day in `zone` (the next local midnight). */
export function promiseWaitUntil(promisedOn: CalendarDate, zone: string): Instant {
  return zoneClock(zone).instantOf(epochDayOf(promisedOn) + 1, 0);
}

/**
 * Where a promise stands at `now`: kept once the invoice is paid or its balance has fallen by the promised
 * amount since the promise (whoever recorded the payment), withdrawn when the invoice was voided or
 * written off, broken when its day has ended without that, otherwise still open.
 */
export function promiseStateAt(
  terms: PromiseTerms,
  invoice: Pick<Invoice, 'status' | 'balance'>,
  now: Instant,
): PromiseState {
  if (invoice.status === 'paid' || invoice.balance <= 0) return 'kept';
  if (terms.balanceAtPromise - invoice.balance >= terms.amount) return 'kept';
  if (invoice.status === 'void' || invoice.status === 'written_off') return 'withdrawn';
  return now < terms.waitUntil ? 'open' : 'broken';
}
