import Holidays from 'date-holidays';
import { z } from 'zod';
import type { HolidayCalendar, TeamMember } from '../domain/config.ts';
import {
  duration,
  identifier,
  listOf,
  nonEmptyText,
  type Parsed,
  section,
  textValue,
  timeOfDay,
  timeZone,
} from './config-values.ts';
import { didYouMean } from './did-you-mean.ts';

/** The settings sections of duly.yaml: holidays, quiet hours, team, retry and dispatch. */

let holidayData: Holidays | null = null;

const holidayCountry = textValue(
  'a country like US, or a country and state like US-NY',
  (text): Parsed<string> => {
    holidayData ??= new Holidays();
    const [country = '', state] = text.toUpperCase().split('-', 2);
    const countries = Object.keys(holidayData.getCountries());
    if (!countries.includes(country)) {
      return { error: `"${text}" is not a country with a holiday calendar${didYouMean(country, countries)}` };
    }
    const states = Object.keys(holidayData.getStates(country) ?? {});
    if (state !== undefined && !states.includes(state)) {
      return {
        error: `"${state}" is not a state or region of ${country}; known: ${states.join(', ') || 'none'}`,
      };
    }
    return { value: state === undefined ? country : `${country}-${state}` };
  },
);

const calendarDate = textValue('a date like 2026-12-24', (text): Parsed<string> => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text)
    return { error: `"${text}" is not a date; write YYYY-MM-DD` };
  return { value: text };
});

export const holidaysSchema = section({
  country: holidayCountry.optional(),
  dates: z.array(calendarDate).default([]),
}).transform(
  (raw): HolidayCalendar => ({ country: raw.country ?? null, dates: [...new Set(raw.dates)].sort() }),
);

export const quietHoursSchema = section({ from: timeOfDay, to: timeOfDay }).refine((q) => q.from !== q.to, {
  message: 'from and to are the same time; remove quiet_hours to allow sending at any hour',
});

export const teamMemberSchema = section({
  id: identifier,
  name: nonEmptyText.optional(),
  email: z.email().optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'write the phone number in E.164 form, like +15550100')
    .optional(),
  roles: listOf(nonEmptyText, 0).default([]),
  timezone: timeZone.optional(),
}).transform(
  (raw): TeamMember => ({
    id: raw.id,
    name: raw.name ?? raw.id,
    email: raw.email ?? null,
    phone: raw.phone ?? null,
    roles: raw.roles,
    timezone: raw.timezone ?? null,
  }),
);

const positive = z.int().min(1);

export const retrySchema = section({
  max_attempts: positive.default(6),
  base_delay: duration.default(30_000),
  max_delay: duration.default(6 * 3_600_000),
}).refine((r) => r.max_delay >= r.base_delay, { path: ['max_delay'], message: 'is shorter than base_delay' });

export const dispatchSchema = section({
  max_in_flight: positive.default(16),
  lease: duration.default(300_000),
  batch_size: positive.default(500),
  send_timeout: duration.default(30_000),
  plan_ahead: duration.default(3_600_000),
}).refine((d) => d.lease > d.send_timeout, {
  path: ['lease'],
  message: 'must be longer than send_timeout, or a slow send could be claimed twice',
});
