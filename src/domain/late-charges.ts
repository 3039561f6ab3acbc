import { dateOfEpochDay, epochDayOf } from './calendar-date.ts';
import type { EarlyPaymentDiscount, LateCharge } from './config.ts';
import type { CalendarDate, Invoice, Minor } from './types.ts';

/** How a charge was worked out, kept with it so anyone can redo the sum. */
export type ChargeBasis =
  | { rule: 'fixed'; balance: Minor; daysOverdue: number }
  | { rule: 'percent'; percent: number; balance: Minor; daysOverdue: number }
  | { rule: 'interest'; annualPercent: number; balance: Minor; daysOverdue: number };

/** A late fee or interest for one invoice on one day. It is quoted and recorded, never added to the balance. */
export interface ChargeQuote {
  kind: 'late_fee' | 'interest';
  amount: Minor;
  currency: string;
  basis: ChargeBasis;
}

export interface DiscountQuote {
  amount: Minor;
  currency: string;
  percent: number;
  /** The last day the discount holds: the due date less the policy's days. */
  payBy: CalendarDate;
  /** What the client pays if they pay by then. */
  payable: Minor;
}

type Owed = Pick<Invoice, 'balance' | 'currency' | 'dueOn'>;

/** Percentages carry at most six decimals, so the arithmetic stays in exact integers. */
const PERCENT_SCALE = 1_000_000n;

/** `numerator / denominator` rounded half up, for non-negative operands. */
function roundHalfUp(numerator: bigint, denominator: bigint): Minor {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

const scaledPercent = (percent: number): bigint => BigInt(Math.round(percent * Number(PERCENT_SCALE)));

/** `balance × percent / 100`, in whole minor units, half up. */
export function percentOf(balance: Minor, percent: number): Minor {
  return roundHalfUp(BigInt(balance) * scaledPercent(percent), 100n * PERCENT_SCALE);
}

/**
 * The charge a step adds to an invoice on `localDay` (a day number in the account's zone): nothing before
 * or on the due date, nor without a balance. Fixed: the amount for the invoice's currency (none when the
 * config names no amount for it). Percent: of the balance. Interest: balance × yearly rate / 365 × days
 * overdue, counted from the due date. Amounts are integer minor units rounded half up.
 */
export function quoteLateCharge(charge: LateCharge, invoice: Owed, localDay: number): ChargeQuote | null {
  const daysOverdue = localDay - epochDayOf(invoice.dueOn);
  const { balance, currency } = invoice;
  if (daysOverdue <= 0 || balance <= 0) return null;
  let quote: ChargeQuote;
  if (charge.kind === 'fixed') {
    const amount = charge.amount.byCurrency[currency] ?? charge.amount.any;
    if (amount === null) return null;
    quote = { kind: 'late_fee', amount, currency, basis: { rule: 'fixed', balance, daysOverdue } };
  } else if (charge.kind === 'percent') {
    quote = {
      kind: 'late_fee',
      amount: percentOf(balance, charge.percent),
      currency,
      basis: { rule: 'percent', percent: charge.percent, balance, daysOverdue },
    };
  } else {
    const amount = roundHalfUp(
      BigInt(balance) * scaledPercent(charge.annualPercent) * BigInt(daysOverdue),
      100n * PERCENT_SCALE * 365n,
    );
    quote = {
      kind: 'interest',
      amount,
      currency,
      basis: { rule: 'interest', annualPercent: charge.annualPercent, balance, daysOverdue },
    };
  }
  return quote.amount > 0 ? quote : null;
}

/** The early-payment discount quoted on `localDay`: a share of the balance, while today is on or before the pay-by date. */
export function quoteEarlyPaymentDiscount(
  discount: EarlyPaymentDiscount,
  invoice: Owed,
  localDay: number,
): DiscountQuote | null {
  const payByDay = epochDayOf(invoice.dueOn) - discount.daysBeforeDue;
  if (localDay > payByDay || invoice.balance <= 0) return null;
  const amount = percentOf(invoice.balance, discount.percent);
  if (amount <= 0) return null;
  return {
    amount,
    currency: invoice.currency,
    percent: discount.percent,
    payBy: dateOfEpochDay(payByDay),
    payable: invoice.balance - amount,
  };
}
