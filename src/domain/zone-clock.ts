import { DateTime } from 'luxon';
import { DAY_MS, dateOfEpochDay } from './calendar-date.ts';
import type { MinuteOfDay } from './config.ts';
import type { CalendarDate, Instant } from './types.ts';

/**
 * Fast local-time conversions for a time zone. Luxon is exact but costs microseconds a call; the
 * planner and the guards convert millions of times per tick, so offsets are cached per quarter hour
 * (every real DST transition falls on a quarter hour) and local→UTC per (day, minute).
 */
export interface ZoneClock {
  readonly zone: string;
  /** UTC offset in minutes at an instant. */
  offsetAt(instant: Instant): number;
  /** Local day number (days since 1970-01-01) and minute of day at an instant. */
  localDay(instant: Instant): number;
  localMinute(instant: Instant): MinuteOfDay;
  /** The instant of a local wall-clock time; a time skipped by a DST jump moves forward, like Luxon. */
  instantOf(epochDay: number, minute: MinuteOfDay): Instant;
}

const QUARTER_MS = 900_000;
const clocks = new Map<string, ZoneClock>();

export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = createZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

export function isValidZone(zone: string): boolean {
  return DateTime.fromMillis(0, { zone }).isValid;
}

function createZoneClock(zone: string): ZoneClock {
  const offsets = new Map<number, number>();
  const instants = new Map<number, Instant>();
  const offsetAt = (instant: Instant): number => {
    const quarter = Math.floor(instant / QUARTER_MS);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = DateTime.fromMillis(quarter * QUARTER_MS, { zone }).offset;
      offsets.set(quarter, offset);
    }
    return offset;
  };
  return {
    zone,
    offsetAt,
    localDay: (instant) => Math.floor((instant + offsetAt(instant) * 60_000) / DAY_MS),
    localMinute: (instant) => {
      const local = instant + offsetAt(instant) * 60_000;
      return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
    },
    instantOf(epochDay, minute) {
      const key = epochDay * 1440 + minute;
      let instant = instants.get(key);
      if (instant === undefined) {
        const [year, month, day] = dateOfEpochDay(epochDay).split('-').map(Number);
        instant = DateTime.fromObject(
          { year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 },
          { zone },
        ).toMillis();
        instants.set(key, instant);
      }
      return instant;
    },
  };
}

/** The local calendar date at an instant. */
export function localDateAt(instant: Instant, zone: string): CalendarDate {
  return dateOfEpochDay(zoneClock(zone).localDay(instant));
}
