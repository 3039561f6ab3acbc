import { DateTime } from 'luxon';
import { DulyError } from '../domain/errors.ts';
import type { Instant } from '../domain/types.ts';

/**
 * An instant from the command line: ISO 8601 with an offset (`2026-03-10T09:00:00Z`), or a local
 * date-time or date without one, read in `zone` (the config's time zone).
 */
export function parseInstant(text: string, zone: string, option: string): Instant {
  const parsed = DateTime.fromISO(text.trim(), { zone, setZone: false });
  if (!parsed.isValid) {
    throw new DulyError(
      'invalid_input',
      `"${text}" is not a date or time; write it like 2026-03-10 or 2026-03-10T09:00:00Z`,
      {
        field: option,
      },
    );
  }
  return parsed.toMillis();
}
