import { z } from 'zod';
import type { ChannelConfig, DulyConfig, Weekday } from '../domain/config.ts';
import { type PathIssue, referenceIssues } from './config-references.ts';
import { currencyCode, locale, section, timeOfDay, timeZone, weekday } from './config-values.ts';
import { friendlyIssueMessage } from './issue-messages.ts';
import { policySchema } from './policy-schema.ts';
import {
  dispatchSchema,
  holidaysSchema,
  quietHoursSchema,
  retrySchema,
  teamMemberSchema,
} from './settings-schema.ts';

/** The whole of duly.yaml (snake_case, every setting optional but policies' own fields) into `DulyConfig`. */

const channelSchema = z.looseObject({
  provider: z.string({ error: 'is required; name the provider, like smtp or webhook' }).trim().min(1),
});

export const configSchema = section({
  timezone: timeZone.default('UTC'),
  locale: locale.default('en-US'),
  currency: currencyCode.default('USD'),
  send_time: timeOfDay.default(9 * 60),
  business_days: z.array(weekday).min(1).default([1, 2, 3, 4, 5]),
  holidays: holidaysSchema.default({ country: null, dates: [] }),
  quiet_hours: quietHoursSchema.nullable().default(null),
  public_url: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  channels: z
    .record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'channel names use a-z, 0-9, - and _'), channelSchema)
    .default({}),
  team: z.array(teamMemberSchema).default([]),
  retry: retrySchema.default({ max_attempts: 6, base_delay: 30_000, max_delay: 6 * 3_600_000 }),
  dispatch: dispatchSchema.default({
    max_in_flight: 16,
    lease: 300_000,
    batch_size: 500,
    send_timeout: 30_000,
    plan_ahead: 3_600_000,
  }),
  policies: z.array(policySchema).default([]),
}).transform(
  (raw): DulyConfig => ({
    timezone: raw.timezone,
    locale: raw.locale,
    currency: raw.currency,
    sendTime: raw.send_time,
    businessDays: [...new Set(raw.business_days)].sort() as Weekday[],
    holidays: raw.holidays,
    quietHours: raw.quiet_hours,
    publicUrl: raw.public_url.replace(/\/+$/, ''),
    channels: Object.fromEntries(
      Object.entries(raw.channels).map(([name, { provider, ...options }]): [string, ChannelConfig] => [
        name,
        { name, provider, options },
      ]),
    ),
    team: raw.team,
    retry: {
      maxAttempts: raw.retry.max_attempts,
      baseDelayMs: raw.retry.base_delay,
      maxDelayMs: raw.retry.max_delay,
    },
    dispatch: {
      maxInFlight: raw.dispatch.max_in_flight,
      leaseMs: raw.dispatch.lease,
      batchSize: raw.dispatch.batch_size,
      sendTimeoutMs: raw.dispatch.send_timeout,
      planAheadMs: raw.dispatch.plan_ahead,
    },
    policies: raw.policies,
  }),
);

/** Validates parsed duly.yaml data: the config, or every issue found (shape and cross-references). */
export function checkConfig(
  input: unknown,
): { config: DulyConfig; issues: [] } | { config: null; issues: PathIssue[] } {
  const result = configSchema.safeParse(input, { error: friendlyIssueMessage });
  const issues: PathIssue[] = referenceIssues(input);
  if (!result.success) issues.push(...result.error.issues.map(({ path, message }) => ({ path, message })));
  return issues.length === 0 && result.success
    ? { config: result.data, issues: [] }
    : { config: null, issues };
}
