import { z } from 'zod';
import type { AudienceTarget, Condition, Policy, Step } from '../domain/config.ts';
import { INVOICE_STATUSES } from '../domain/types.ts';
import {
  DAY_MS,
  dayOffset,
  identifier,
  listOf,
  nonEmptyText,
  type Parsed,
  parseDuration,
  section,
  textValue,
  timeOfDay,
} from './config-values.ts';
import { moneyThreshold } from './money-threshold.ts';

/** Policies of duly.yaml: conditions, steps and their audience, read into the domain's `Policy`. */

export const conditionSchema = section({
  status: listOf(z.enum(INVOICE_STATUSES)).optional(),
  balance_gte: moneyThreshold.optional(),
  balance_lt: moneyThreshold.optional(),
  tags_any: listOf(nonEmptyText).optional(),
  tags_none: listOf(nonEmptyText).optional(),
  days_overdue_gte: z.int().optional(),
  days_overdue_lt: z.int().optional(),
}).transform((raw): Condition | null => {
  const condition: Condition = {};
  if (raw.status) condition.status = [...new Set(raw.status)];
  if (raw.balance_gte) condition.balanceGte = raw.balance_gte;
  if (raw.balance_lt) condition.balanceLt = raw.balance_lt;
  if (raw.tags_any) condition.tagsAny = raw.tags_any;
  if (raw.tags_none) condition.tagsNone = raw.tags_none;
  if (raw.days_overdue_gte !== undefined) condition.daysOverdueGte = raw.days_overdue_gte;
  if (raw.days_overdue_lt !== undefined) condition.daysOverdueLt = raw.days_overdue_lt;
  return Object.keys(condition).length > 0 ? condition : null;
});

const audienceTarget = textValue('client, team or role:<name>', (text): Parsed<AudienceTarget> => {
  if (text === 'client' || text === 'team') return { value: { audience: text, role: null } };
  const role = /^role:\s*(\S+)$/.exec(text)?.[1];
  if (role) return { value: { audience: 'team', role } };
  return { error: `"${text}" is not an audience; write client, team or role:<name> (like role:manager)` };
});

const everyDays = textValue('a number of days like 7d', (text): Parsed<number> => {
  const parsed = parseDuration(text);
  if ('error' in parsed) return { error: `"${text}" is not a repeat interval; write whole days, like 7d` };
  if (parsed.value % DAY_MS !== 0)
    return { error: `"${text}" is not whole days; repeats go by day, like 7d` };
  return { value: parsed.value / DAY_MS };
});

const stepSchema = section({
  id: identifier,
  at: dayOffset,
  time: timeOfDay.optional(),
  to: listOf(audienceTarget),
  via: listOf(nonEmptyText),
  deliver: z.enum(['first', 'all']).default('first'),
  template: nonEmptyText,
  when: conditionSchema.optional(),
  every: everyDays.optional(),
  until: dayOffset.optional(),
})
  .superRefine(
    (raw, ctx) => {
      if (typeof raw !== 'object' || raw === null) return;
      if (raw.every !== undefined && raw.until === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['every'],
          message: 'needs until: say when the repeats stop, like until: due+90d',
        });
      }
      if (raw.until !== undefined && raw.every === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['until'],
          message: 'needs every: say how often to repeat, like every: 7d',
        });
      }
    },
    { when: () => true },
  )
  .transform((raw, ctx): Step => {
    if (raw.until && raw.until.anchor === raw.at.anchor && raw.until.days < raw.at.days) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'is before at; repeats stop after they start',
      });
    }
    const to = new Map(raw.to.map((t) => [`${t.audience}:${t.role ?? ''}`, t]));
    return {
      id: raw.id,
      at: raw.at,
      sendTime: raw.time ?? null,
      to: [...to.values()],
      via: [...new Set(raw.via)],
      deliver: raw.deliver,
      template: raw.template,
      when: raw.when ?? null,
      everyDays: raw.every ?? null,
      until: raw.until ?? null,
    };
  });

export const policySchema = section({
  id: identifier,
  name: nonEmptyText.optional(),
  trigger: z.literal('invoice').default('invoice'),
  when: conditionSchema.optional(),
  catch_up: z.enum(['latest', 'all', 'none']).default('latest'),
  group: z.boolean().default(true),
  skip_pre_due_for_auto_pay: z.boolean().default(true),
  steps: z.array(stepSchema).min(1),
}).transform(
  (raw): Policy => ({
    id: raw.id,
    name: raw.name ?? raw.id,
    trigger: raw.trigger,
    when: raw.when ?? null,
    catchUp: raw.catch_up,
    group: raw.group,
    skipPreDueForAutoPay: raw.skip_pre_due_for_auto_pay,
    steps: raw.steps,
  }),
);
