import type { Condition, MoneyThreshold } from './config.ts';
import type { Account, Invoice } from './types.ts';

function thresholdFor(threshold: MoneyThreshold, currency: string): number | null {
  return threshold.byCurrency[currency] ?? threshold.any;
}

/**
 * Whether an invoice meets a condition, `daysOverdue` days after its due date (negative before it).
 * A threshold with no value for the invoice's currency does not hold: money is never compared across currencies.
 */
export function conditionHolds(
  condition: Condition | null,
  invoice: Invoice,
  account: Account,
  daysOverdue: number,
): boolean {
  if (!condition) return true;
  const c = condition;
  if (c.status && !c.status.includes(invoice.status)) return false;
  if (c.balanceGte) {
    const min = thresholdFor(c.balanceGte, invoice.currency);
    if (min === null || invoice.balance < min) return false;
  }
  if (c.balanceLt) {
    const max = thresholdFor(c.balanceLt, invoice.currency);
    if (max === null || invoice.balance >= max) return false;
  }
  if (c.tagsAny && !c.tagsAny.some((tag) => account.tags.includes(tag))) return false;
  if (c.tagsNone?.some((tag) => account.tags.includes(tag))) return false;
  if (c.daysOverdueGte !== undefined && daysOverdue < c.daysOverdueGte) return false;
  if (c.daysOverdueLt !== undefined && daysOverdue >= c.daysOverdueLt) return false;
  return true;
}
