import { dateOfEpochDay } from './calendar-date.ts';
import type { MinuteOfDay, QuietHours } from './config.ts';
import type { Instant } from './types.ts';
import type { ZoneClock } from './zone-clock.ts';

/** Where a message may go out: business days (with holidays) and quiet hours, in the recipient's zone. */
export interface SendWindow {
  isBusinessDay(epochDay: number): boolean;
  quietHours: QuietHours | null;
  /** Local time to use on a day a send was moved to, when there are no quiet hours to end. */
  sendTime: MinuteOfDay;
}

export function createSendWindow(
  calendar: { isBusinessDay(date: string): boolean },
  quietHours: QuietHours | null,
  sendTime: MinuteOfDay,
): SendWindow {
  const businessDays = new Map<number, boolean>();
  return {
    quietHours,
    sendTime,
    isBusinessDay(epochDay) {
      let open = businessDays.get(epochDay);
      if (open === undefined) {
        open = calendar.isBusinessDay(dateOfEpochDay(epochDay));
        businessDays.set(epochDay, open);
      }
      return open;
    },
  };
}

export function inQuietHours(minute: MinuteOfDay, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.from === quiet.to) return false;
  return quiet.from < quiet.to
    ? minute >= quiet.from && minute < quiet.to
    : minute >= quiet.from || minute < quiet.to;
}

/**
 * The first instant at or after `instant` when a message may go out in `clock`'s zone: outside quiet
 * hours, on a business day. A send moved to another day goes out when quiet hours end (or at the
 * configured send time when there are none).
 */
export function nextSendableInstant(instant: Instant, clock: ZoneClock, window: SendWindow): Instant {
  const quiet = window.quietHours;
  let day = clock.localDay(instant);
  const minute = clock.localMinute(instant);
  if (window.isBusinessDay(day)) {
    if (!inQuietHours(minute, quiet)) return instant;
    // Quiet hours that end later today: wait for them to end.
    if (quiet && (quiet.from < quiet.to || minute < quiet.to)) return clock.instantOf(day, quiet.to);
  }
  // Overnight quiet hours end at the start of the next working day; otherwise use the usual send time.
  const opening = quiet && quiet.from > quiet.to ? quiet.to : window.sendTime;
  do day += 1;
  while (!window.isBusinessDay(day));
  const moved = clock.instantOf(day, opening);
  // The send time can itself lie in daytime quiet hours (00:00–10:00 with send time 09:00): wait for their end.
  return inQuietHours(clock.localMinute(moved), quiet) ? nextSendableInstant(moved, clock, window) : moved;
}
