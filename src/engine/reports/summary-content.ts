import { AGING_BUCKETS, type Aging } from '../../domain/aging.ts';
import { epochDayOf } from '../../domain/calendar-date.ts';
import { formatMoney } from '../../domain/money.ts';
import type { CalendarDate, Instant } from '../../domain/types.ts';
import { formatCalendarDate, formatLocalDate } from '../../templates/locale.ts';
import { reportTable } from '../../templates/report-tables.ts';

/** The `report` template variable: the aging as words and tables for one reader's locale. */
export function summaryDetails(
  aging: Aging,
  period: CalendarDate,
  now: Instant,
  locale: string,
  zone: string,
): Record<string, unknown> {
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  const joined = (pick: (c: Aging['currencies'][number]) => number) =>
    aging.currencies.map((c) => money(pick(c), c.currency)).join(' + ') || '0';
  const buckets = AGING_BUCKETS.map((label) => ({ label, totals: joined((c) => c.buckets[label]) }));
  const periodDay = epochDayOf(period);
  const top = aging.top.map((a) => ({
    name: a.name,
    overdue: money(a.overdue, a.currency),
    oldest_days: periodDay - epochDayOf(a.oldestDueOn),
  }));
  const agingTable = reportTable(
    ['Days past due', ...aging.currencies.map((c) => c.currency)],
    [
      ...AGING_BUCKETS.map((label) => [
        label,
        ...aging.currencies.map((c) => money(c.buckets[label], c.currency)),
      ]),
      ['Total', ...aging.currencies.map((c) => money(c.total, c.currency))],
    ],
  );
  const topTable = reportTable(
    ['Account', 'Overdue', 'Oldest (days)'],
    top.map((a) => [a.name, a.overdue, String(a.oldest_days)]),
  );
  return {
    report: {
      period: formatCalendarDate(period, locale),
      generated: formatLocalDate(now, locale, zone),
      buckets,
      total: joined((c) => c.total),
      top,
      aging_table: agingTable.text,
      top_table: topTable.text,
      tables: [agingTable, topTable],
    },
  };
}
