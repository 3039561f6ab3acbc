import { DAY_MS, dateOfEpochDay, epochDayOf, weekdayOfEpochDay } from './calendar-date.ts';
import type { ReportSchedule } from './config.ts';
import type { CalendarDate, Instant } from './types.ts';
import { zoneClock } from './zone-clock.ts';

/** One run of a summary: the local date it is for, and the instant it goes out. */
export interface ReportRun {
  period: CalendarDate;
  at: Instant;
}

function runsOnDay(schedule: ReportSchedule, day: number): boolean {
  if (schedule.every === 'month') return Number(dateOfEpochDay(day).slice(8, 10)) === schedule.on;
  if (weekdayOfEpochDay(day) !== schedule.on) return false;
  if (schedule.every === 'week') return true;
  // Fortnights are counted from the first run's week, so they never drift.
  const first = epochDayOf(schedule.from ?? '1970-01-05');
  if (day < first) return false;
  const weeks = Math.floor((day - first) / 7);
  return weeks % 2 === 0;
}

/**
 * The runs of a summary schedule whose instant falls in [from, to], at the schedule's local time in
 * `zone` (the team's): 08:00 stays 08:00 on both sides of a DST change. Pure.
 */
export function reportRuns(schedule: ReportSchedule, zone: string, from: Instant, to: Instant): ReportRun[] {
  const clock = zoneClock(zone);
  const runs: ReportRun[] = [];
  // One day of margin each side: the zone's local day can differ from the UTC day.
  const last = Math.floor(to / DAY_MS) + 1;
  for (let day = Math.floor(from / DAY_MS) - 1; day <= last; day += 1) {
    if (!runsOnDay(schedule, day)) continue;
    const at = clock.instantOf(day, schedule.time);
    if (at >= from && at <= to) runs.push({ period: dateOfEpochDay(day), at });
  }
  return runs;
}
