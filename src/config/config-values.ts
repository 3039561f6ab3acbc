import { IANAZone } from 'luxon';
import { z } from 'zod';
import {
  type Anchor,
  type DayOffset,
  INSTANT_ANCHORS,
  type MinuteOfDay,
  TRIGGER_ANCHORS,
  type Weekday,
} from '../domain/config.ts';
import { isCurrency } from '../domain/money.ts';
import { didYouMean } from './did-you-mean.ts';

/** Scalar values of duly.yaml: each written as text a finance person can read, parsed with a message that says how to write it. */

export type Parsed<T> = { value: T } | { error: string };

/** A field written as text (numbers are read as their text), parsed by `parse`; `example` shows how to write it. */
export function textValue<T>(example: string, parse: (text: string) => Parsed<T>) {
  return z.unknown().transform((input, ctx): T => {
    const result: Parsed<T> =
      input === undefined
        ? { error: `is required; write ${example}` }
        : typeof input === 'string' || typeof input === 'number'
          ? parse(String(input).trim())
          : { error: `expected ${example}` };
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.value;
  });
}

/** An object whose unknown keys are errors with a "did you mean" (zod's strict objects name no alternative). */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const hint = didYouMean(key, known) || `; allowed here: ${known.join(', ')}`;
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown key "${key}"${hint}` });
      }
    },
    // Report typos together with the other problems of the same object, not only once it is otherwise valid.
    { when: () => true },
  );
}

/** A list, or a single value standing for a list of one. */
export function listOf<T extends z.ZodType>(item: T, min = 1) {
  return z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(item).min(min));
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
export const DAY_MS = 86_400_000;

export function parseDuration(text: string): Parsed<number> {
  const match = /^(?:\d+\s*(?:ms|s|m|h|d|w)\s*)+$/.test(text);
  if (!match) return { error: `"${text}" is not a duration; write it like 500ms, 30s, 5m, 6h or 2d` };
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)\s*(ms|s|m|h|d|w)/g))
    ms += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  if (ms <= 0) return { error: `"${text}" must be longer than zero` };
  return { value: ms };
}

export const duration = textValue('a duration like 30s, 5m or 6h', parseDuration);

const ALL_ANCHORS = [...new Set(Object.values(TRIGGER_ANCHORS).flat())] as Anchor[];

/** Parses `due-3d`, `end-30d`, `failed`, `ready+3d`, `failed+15m` (minutes and hours from instant anchors only) …; `anchors` are the ones the policy's trigger has. */
export function parseDayOffset(text: string, anchors: readonly Anchor[] = ALL_ANCHORS): Parsed<DayOffset> {
  const example = `${anchors[0]}, ${anchors[0]}-3d or ${anchors[0]}+14d`;
  const match = /^([a-z_]+)(?:\s*([+-])\s*(\d+)\s*(m|h|d|w))?$/.exec(text);
  if (!match) return { error: `"${text}" is not an offset; write it like ${example}` };
  const [, name = '', sign, amount = '0', unit] = match;
  const anchor = anchors.find((a) => a === name);
  if (!anchor) {
    return {
      error: `"${name}" is not a date this trigger has; use ${anchors.join(' or ')}${didYouMean(name, [...anchors])}`,
    };
  }
  // Minutes and hours only make sense from a moment (`failed+15m`); a date's steps go out at a send time.
  if ((unit === 'm' || unit === 'h') && !INSTANT_ANCHORS.has(anchor)) {
    return { error: `"${text}": ${anchor} is a date, so offsets from it are whole days, like ${anchor}+3d` };
  }
  const perUnit = unit === 'w' ? 7 : unit === 'h' ? 1 / 24 : unit === 'm' ? 1 / 1440 : 1;
  const days = Number(amount) * perUnit * (sign === '-' ? -1 : 1);
  return { value: { anchor, days: days === 0 ? 0 : days } };
}

export const dayOffset = textValue('an offset like due, due-3d, due+14d or end-30d', (text) =>
  parseDayOffset(text),
);

export function parseTimeOfDay(text: string): Parsed<MinuteOfDay> {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) return { error: `"${text}" is not a time of day; write it as 24-hour HH:MM, like 09:00` };
  return { value: Number(match[1]) * 60 + Number(match[2]) };
}

export const timeOfDay = textValue('a 24-hour time like "09:00"', parseTimeOfDay);

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export const weekday = textValue('a day like mon, tue … sun', (text): Parsed<Weekday> => {
  const lower = text.toLowerCase();
  const index = Math.max(WEEKDAYS.indexOf(lower), WEEKDAY_NAMES.indexOf(lower));
  if (index < 0) return { error: `"${text}" is not a day; write mon, tue, wed, thu, fri, sat or sun` };
  return { value: (index + 1) as Weekday };
});

export const timeZone = textValue(
  'an IANA time zone like America/New_York',
  (text): Parsed<string> =>
    IANAZone.isValidZone(text)
      ? { value: text }
      : {
          error: `"${text}" is not a time zone; write an IANA name like America/New_York, Europe/Paris or UTC`,
        },
);

export const currencyCode = textValue('a currency code like USD', (text): Parsed<string> => {
  const code = text.toUpperCase();
  return isCurrency(code)
    ? { value: code }
    : { error: `"${text}" is not an ISO 4217 currency code; write one like USD, EUR or JPY` };
});

export const locale = textValue('a locale like en-US', (text): Parsed<string> => {
  try {
    const [canonical] = Intl.getCanonicalLocales(text);
    if (canonical) return { value: canonical };
  } catch {
    // fall through to the message below
  }
  return { error: `"${text}" is not a locale; write one like en-US, fr-FR or de` };
});

/** Ids end up in dedupe keys and URLs, so they stay plain. */
export const identifier = textValue(
  'an id of letters, digits, - and _',
  (text): Parsed<string> =>
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text)
      ? { value: text }
      : { error: `"${text}" is not a valid id; use letters, digits, - and _ (like standard-dunning)` },
);

export const nonEmptyText = z.string().trim().min(1);
