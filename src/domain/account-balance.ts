import { epochDayOf } from './calendar-date.ts';
import type { AccountThreshold, MoneyThreshold } from './config.ts';
import { formatMinorPlain } from './money.ts';
import type { CalendarDate, Minor } from './types.ts';

/** What an account owes: collectable balances summed per currency, and its oldest unpaid due date. */
export interface AccountBalance {
  outstanding: Record<string, Minor>;
  /** The earliest due date among invoices with a balance, or null when nothing is owed. */
  oldestDueOn: CalendarDate | null;
}

/** One currency's share of an account's collectable invoices, as the store sums them. */
export interface BalanceRow {
  currency: string;
  outstanding: Minor;
  oldestDueOn: CalendarDate;
}

export const NOTHING_OWED: AccountBalance = { outstanding: {}, oldestDueOn: null };

export function accountBalance(rows: readonly BalanceRow[]): AccountBalance {
  const outstanding: Record<string, Minor> = {};
  let oldestDueOn: CalendarDate | null = null;
  for (const row of rows) {
    if (row.outstanding <= 0) continue;
    outstanding[row.currency] = (outstanding[row.currency] ?? 0) + row.outstanding;
    if (oldestDueOn === null || row.oldestDueOn < oldestDueOn) oldestDueOn = row.oldestDueOn;
  }
  return { outstanding, oldestDueOn };
}

/** Days the oldest unpaid invoice is past due on `today` (a local day number); 0 when none is overdue. */
export function oldestOverdueDays(balance: AccountBalance, today: number): number {
  return balance.oldestDueOn === null ? 0 : Math.max(0, today - epochDayOf(balance.oldestDueOn));
}

const limitFor = (threshold: MoneyThreshold, currency: string) =>
  threshold.byCurrency[currency] ?? threshold.any;

/** Whether an account is over the line on `today`, and in words why it is or is not (for audit and reasons). */
export function thresholdVerdict(
  threshold: AccountThreshold,
  balance: AccountBalance,
  today: number,
): { holds: boolean; why: string } {
  const reasons: string[] = [];
  if (threshold.outstandingGte) {
    for (const [currency, owed] of Object.entries(balance.outstanding).sort()) {
      const limit = limitFor(threshold.outstandingGte, currency);
      // Money is never compared across currencies: a currency with no limit never crosses.
      if (limit !== null && owed >= limit) {
        reasons.push(
          `${formatMinorPlain(owed, currency)} ${currency} outstanding, limit ${formatMinorPlain(limit, currency)}`,
        );
      }
    }
  }
  const days = oldestOverdueDays(balance, today);
  if (threshold.oldestOverdueDaysGte !== null && days >= threshold.oldestOverdueDaysGte) {
    reasons.push(`oldest invoice ${days} days overdue, limit ${threshold.oldestOverdueDaysGte}`);
  }
  if (reasons.length > 0) return { holds: true, why: reasons.join('; ') };
  const owed = Object.entries(balance.outstanding)
    .sort()
    .map(([currency, minor]) => `${formatMinorPlain(minor, currency)} ${currency}`);
  return {
    holds: false,
    why:
      owed.length === 0
        ? 'nothing outstanding'
        : `${owed.join(' + ')} outstanding, oldest ${days} days overdue`,
  };
}
