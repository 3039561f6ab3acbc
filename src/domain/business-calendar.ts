import Holidays from 'date-holidays';
import type { DulyConfig, Weekday } from './config.ts';
import type { CalendarDate } from './types.ts';

/** Which days are open for business: configured weekdays, minus public holidays and the config's closed dates. */
export interface BusinessCalendar {
  isBusinessDay(date: CalendarDate): boolean;
  /** Why a date is closed, or null when it is not a holiday (weekends are not holidays). */
  holidayName(date: CalendarDate): string | null;
}

const DAY_MS = 86_400_000;
export const CONFIG_HOLIDAY_NAME = 'Closed (holidays.dates in the config)';

function weekdayOf(date: CalendarDate): Weekday {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a calendar date: ${date}`);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay();
  return (day === 0 ? 7 : day) as Weekday;
}

export function createBusinessCalendar(
  config: Pick<DulyConfig, 'businessDays' | 'holidays'>,
): BusinessCalendar {
  const openWeekdays = new Set<number>(config.businessDays);
  const closedDates = new Set(config.holidays.dates);
  const [country, state] = config.holidays.country?.split('-', 2) ?? [];
  const source = country ? new Holidays(country, state ?? '', { types: ['public'] }) : null;
  // Holiday names by date, filled a year at a time: the planner asks about every touch.
  const names = new Map<CalendarDate, string>();
  const loadedYears = new Set<string>();

  const loadYear = (year: string) => {
    loadedYears.add(year);
    if (!source) return;
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
      const first = Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`);
      for (let i = 0; i < days; i++) {
        const date = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
        if (!names.has(date)) names.set(date, holiday.name);
      }
    }
  };

  const holidayName = (date: CalendarDate): string | null => {
    if (closedDates.has(date)) return CONFIG_HOLIDAY_NAME;
    const year = date.slice(0, 4);
    if (!loadedYears.has(year)) loadYear(year);
    return names.get(date) ?? null;
  };

  const businessDays = new Map<CalendarDate, boolean>();
  return {
    holidayName,
    isBusinessDay(date) {
      let open = businessDays.get(date);
      if (open === undefined) {
        open = openWeekdays.has(weekdayOf(date)) && holidayName(date) === null;
        businessDays.set(date, open);
      }
      return open;
    },
  };
}
