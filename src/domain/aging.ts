import { addDays } from './calendar-date.ts';
import type { CalendarDate, Minor } from './types.ts';

/** Aging buckets of a summary, by days past due: not yet due, 1–30, 31–60, 61–90, over 90. */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The last day past which an invoice is in each overdue bucket, as due dates, for SQL on `due_on`. */
export interface AgingCuts {
  /** due_on >= this: current (not yet overdue). */
  current: CalendarDate;
  /** due_on >= this (and before current): 1–30 days. */
  d30: CalendarDate;
  d60: CalendarDate;
  d90: CalendarDate;
}

/** Due-date boundaries of the buckets on `today`: due today is current, due yesterday is 1 day overdue. */
export function agingCuts(today: CalendarDate): AgingCuts {
  return { current: today, d30: addDays(today, -30), d60: addDays(today, -60), d90: addDays(today, -90) };
}

export function bucketOfDueDate(dueOn: CalendarDate, cuts: AgingCuts): AgingBucket {
  if (dueOn >= cuts.current) return 'current';
  if (dueOn >= cuts.d30) return '1-30';
  if (dueOn >= cuts.d60) return '31-60';
  if (dueOn >= cuts.d90) return '61-90';
  return '90+';
}

/** Balances summed by the store per currency and bucket. */
export interface AgingRow {
  currency: string;
  bucket: AgingBucket;
  total: Minor;
}

/** One account among the largest overdue, in one currency. */
export interface OverdueAccount {
  accountId: string;
  name: string;
  currency: string;
  overdue: Minor;
  oldestDueOn: CalendarDate;
}

export interface Aging {
  /** Currencies in order, each with every bucket (zero when empty) and its total. */
  currencies: { currency: string; buckets: Record<AgingBucket, Minor>; total: Minor }[];
  top: OverdueAccount[];
}

/** Puts the store's sums in report order: currencies alphabetically, every bucket present. */
export function agingOf(rows: readonly AgingRow[], top: readonly OverdueAccount[], limit = 10): Aging {
  const byCurrency = new Map<string, Record<AgingBucket, Minor>>();
  for (const row of rows) {
    let buckets = byCurrency.get(row.currency);
    if (!buckets) {
      buckets = { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 };
      byCurrency.set(row.currency, buckets);
    }
    buckets[row.bucket] += row.total;
  }
  const currencies = [...byCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, buckets]) => ({
      currency,
      buckets,
      total: AGING_BUCKETS.reduce((sum, b) => sum + buckets[b], 0),
    }));
  const largest = [...top]
    .sort((a, b) => b.overdue - a.overdue || a.oldestDueOn.localeCompare(b.oldestDueOn))
    .slice(0, limit);
  return { currencies, top: largest };
}
