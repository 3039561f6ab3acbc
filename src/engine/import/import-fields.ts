/** Checks for single import cells. Each returns an error message, or the normalized value. */

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (error: string): Checked<never> => ({ ok: false, error });

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` that exists on the calendar. */
export function checkDate(text: string): Checked<string> {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return fail(`"${text}" is not a date; write it as YYYY-MM-DD`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days) return fail(`"${text}" is not a day on the calendar`);
  return ok(text);
}

export function checkEmail(text: string): Checked<string> {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/.test(text)
    ? ok(text)
    : fail(`"${text}" is not an email address`);
}

/** E.164-ish: a `+` and 7–15 digits; spaces, dots, dashes and brackets are dropped. */
export function checkPhone(text: string): Checked<string> {
  const compact = text.replace(/[\s().-]/g, '');
  return /^\+\d{7,15}$/.test(compact)
    ? ok(compact)
    : fail(`"${text}" is not a phone number; write it with the country code, like +15551234567`);
}

/** A numeric chat id or an @username. */
export function checkTelegram(text: string): Checked<string> {
  return /^-?\d{1,20}$/.test(text) || /^@[A-Za-z][A-Za-z0-9_]{4,31}$/.test(text)
    ? ok(text)
    : fail(`"${text}" is not a Telegram chat id or @username`);
}

const zones = new Map<string, boolean>();

export function checkTimeZone(text: string): Checked<string> {
  let valid = zones.get(text);
  if (valid === undefined) {
    // Intl also takes offsets like "+01:00", which are not zones: they know nothing of daylight saving.
    valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(text) && isIntlZone(text);
    zones.set(text, valid);
  }
  return valid ? ok(text) : fail(`"${text}" is not an IANA time zone, like America/New_York`);
}

function isIntlZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const locales = new Map<string, string | null>();

/** A BCP 47 tag, returned in canonical form (`en-us` → `en-US`). */
export function checkLocale(text: string): Checked<string> {
  let canonical = locales.get(text);
  if (canonical === undefined) {
    try {
      canonical = Intl.getCanonicalLocales(text.replace(/_/g, '-'))[0] ?? null;
    } catch {
      canonical = null;
    }
    locales.set(text, canonical);
  }
  return canonical ? ok(canonical) : fail(`"${text}" is not a locale; write a BCP 47 tag, like en-US`);
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function checkBoolean(text: string): Checked<boolean> {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return ok(true);
  if (FALSE.has(lower)) return ok(false);
  return fail(`"${text}" is not yes or no; write true, false, yes, no, 1 or 0`);
}

/** `a; b|c` → ['a', 'b', 'c'], without blanks or repeats. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[;|]/).map((tag) => tag.trim()))].filter(Boolean);
}

/** A channel name as the config names them: `email`, `sms`, `whatsapp` … */
export function checkChannelName(text: string): Checked<string> {
  return /^[a-z][a-z0-9_-]{0,31}$/.test(text)
    ? ok(text)
    : fail(`"${text}" is not a channel name, like email or sms`);
}
