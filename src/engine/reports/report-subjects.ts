import { isCalendarDate } from '../../domain/calendar-date.ts';
import type { Account, CalendarDate } from '../../domain/types.ts';

/** A summary is about the whole book: its touches belong to the tenant's `*` account. */
export const REPORT_ACCOUNT: Account = {
  id: '*',
  name: '',
  timezone: null,
  locale: null,
  currency: null,
  tags: [],
  owner: null,
  pausedUntil: null,
  pauseReason: null,
  autoPay: false,
  policyId: null,
};

/** A report's subject id: its policy and the local date of the run, `weekly-summary:2026-03-16`. */
export const reportSubjectId = (policyId: string, period: CalendarDate) => `${policyId}:${period}`;

export function reportPeriodOf(subjectId: string): CalendarDate | null {
  const period = subjectId.slice(subjectId.lastIndexOf(':') + 1);
  return isCalendarDate(period) ? period : null;
}
