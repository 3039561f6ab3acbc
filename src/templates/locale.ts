import type { CalendarDate, Instant } from '../domain/types.ts';

export const BASE_LOCALE = 'en';

export interface ResolvedLocale {
  /** The recipient's own locale, for Intl (money and dates): `fr-CA`. */
  intl: string;
  /** Template folders to look in, most specific first: `fr-ca`, `fr`, `en`. */
  chain: string[];
}

const resolved = new Map<string, ResolvedLocale>();

/** `fr-CA` → Intl `fr-CA`, folders `fr-ca` → `fr` → `en`. An unreadable locale falls back to `en`. */
export function resolveLocale(locale: string): ResolvedLocale {
  let found = resolved.get(locale);
  if (found) return found;
  let intl = BASE_LOCALE;
  try {
    intl = Intl.getCanonicalLocales(locale.trim().replace(/_/g, '-'))[0] ?? BASE_LOCALE;
  } catch {
    // A malformed locale from a billing system must not stop the reminder: it goes out in English.
  }
  const parts = intl.toLowerCase().split('-');
  const chain: string[] = [];
  for (let n = parts.length; n > 0; n--) chain.push(parts.slice(0, n).join('-'));
  if (!chain.includes(BASE_LOCALE)) chain.push(BASE_LOCALE);
  found = { intl, chain };
  resolved.set(locale, found);
  return found;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const formattedDates = new Map<string, string>();

/** A calendar date for people (`Mar 13, 2026`, `13 mars 2026`); the same wherever the reader is. */
export function formatCalendarDate(date: CalendarDate, locale: string): string {
  const key = `${locale}|${date}`;
  let text = formattedDates.get(key);
  if (text !== undefined) return text;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  text = dateFormat(locale, 'UTC').format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (formattedDates.size > 50_000) formattedDates.clear();
  formattedDates.set(key, text);
  return text;
}

/** Today's date where the recipient is. */
export function formatLocalDate(at: Instant, locale: string, timezone: string): string {
  try {
    return dateFormat(locale, timezone).format(at);
  } catch {
    return dateFormat(locale, 'UTC').format(at);
  }
}

function dateFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The CLDR plural category of `n` in `locale`: `one`, `other` … */
export function pluralCategory(n: number, locale: string): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(n);
}
