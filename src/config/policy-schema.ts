import { z } from 'zod';
import {
  type AccountThreshold,
  type AudienceTarget,
  type Condition,
  INSTANT_ANCHORS,
  type LateCharge,
  type Policy,
  type ReportSchedule,
  type Step,
  TRIGGER_ANCHORS,
  TRIGGERS,
} from '../domain/config.ts';
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
  weekday,
} from './config-values.ts';
import { didYouMean } from './did-you-mean.ts';
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

const audienceTarget = textValue('client, team, owner or role:<name>', (text): Parsed<AudienceTarget> => {
  if (text === 'client' || text === 'team') return { value: { audience: text, role: null } };
  if (text === 'owner') return { value: { audience: 'team', role: null, owner: true } };
  const role = /^role:\s*(\S+)$/.exec(text)?.[1];
  if (role) return { value: { audience: 'team', role } };
  return {
    error: `"${text}" is not an audience; write client, team, owner or role:<name> (like role:manager)`,
  };
});

const everyDays = textValue('a number of days like 7d', (text): Parsed<number> => {
  const parsed = parseDuration(text);
  if ('error' in parsed) return { error: `"${text}" is not a repeat interval; write whole days, like 7d` };
  if (parsed.value % DAY_MS !== 0)
    return { error: `"${text}" is not whole days; repeats go by day, like 7d` };
  return { value: parsed.value / DAY_MS };
});

const percentText = (text: string): number | null => {
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  return match ? Number(match[1]) : null;
};

/** `fee: 25`, `fee: { USD: 25, EUR: 20 }` or `fee: 1.5%` (of the balance). */
const feeSchema = z.unknown().transform((input, ctx): LateCharge => {
  const percent = typeof input === 'string' ? percentText(input.trim()) : null;
  if (percent !== null) {
    if (percent <= 0 || percent > 100)
      ctx.addIssue({ code: 'custom', message: 'must be above 0% and at most 100%' });
    return { kind: 'percent', percent };
  }
  const parsed = moneyThreshold.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return { kind: 'fixed', amount: parsed.data };
});

/** `interest: 12%`: a yearly rate, accrued daily on the balance since the due date. */
const interestSchema = textValue('a yearly rate like 12%', (text): Parsed<LateCharge> => {
  const percent = percentText(text);
  if (percent === null || percent <= 0 || percent > 100)
    return { error: `"${text}" is not a yearly rate; write it like 12%` };
  return { value: { kind: 'interest', annualPercent: percent } };
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
  fee: feeSchema.optional(),
  interest: interestSchema.optional(),
  attach: z
    .literal('history', { error: 'write attach: history to hand over the account history' })
    .optional(),
})
  .superRefine(
    (raw, ctx) => {
      if (typeof raw !== 'object' || raw === null) return;
      if (raw.fee !== undefined && raw.interest !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['interest'],
          message: 'a step adds a fee or interest, not both',
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
      charge: raw.fee ?? raw.interest ?? null,
      attachHistory: raw.attach === 'history',
    };
  });

const MONTH_DAY = /^([1-9]|1\d|2[0-8])$/;

const scheduleSchema = section({
  every: z.enum(['week', '2weeks', 'month'], { error: 'write week, 2weeks or month' }),
  on: z.union([z.number(), z.string()]),
  time: timeOfDay.default(8 * 60),
  from: z.iso.date({ error: 'write the date of the first run, YYYY-MM-DD' }).optional(),
}).transform((raw, ctx): ReportSchedule => {
  let on = 0;
  if (raw.every === 'month') {
    if (MONTH_DAY.test(String(raw.on))) on = Number(raw.on);
    else ctx.addIssue({ code: 'custom', path: ['on'], message: 'write a day of the month from 1 to 28' });
  } else {
    const parsed = weekday.safeParse(raw.on);
    if (parsed.success) on = parsed.data;
    else ctx.addIssue({ code: 'custom', path: ['on'], message: 'write a weekday like mon' });
  }
  if (raw.every === '2weeks' && !raw.from) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: 'needs the date of a first run, so the fortnights are fixed',
    });
  }
  return { every: raw.every, on, time: raw.time, from: raw.from ?? null };
});

const thresholdSchema = section({
  outstanding_gte: moneyThreshold.optional(),
  oldest_overdue_days_gte: z.int().min(1).optional(),
})
  .refine((raw) => raw.outstanding_gte !== undefined || raw.oldest_overdue_days_gte !== undefined, {
    message: 'give outstanding_gte, oldest_overdue_days_gte, or both',
  })
  .transform(
    (raw): AccountThreshold => ({
      outstandingGte: raw.outstanding_gte ?? null,
      oldestOverdueDaysGte: raw.oldest_overdue_days_gte ?? null,
    }),
  );

const taskSchema = section({ due_in: everyDays.default(2) });

const discountSchema = section({
  percent: z.number().gt(0).max(100),
  days_before_due: z.int().min(0),
});

/** What each trigger needs besides steps, and what it cannot have. */
const TRIGGER_NEEDS: Partial<Record<Policy['trigger'], string>> = {
  summary: 'schedule',
  threshold: 'threshold',
};
const ONLY_FOR: Record<string, Policy['trigger']> = {
  schedule: 'summary',
  threshold: 'threshold',
  task: 'payment_failed',
  early_payment_discount: 'invoice',
};

export const policySchema = section({
  id: identifier,
  name: nonEmptyText.optional(),
  trigger: z.enum(TRIGGERS, { error: `write one of ${TRIGGERS.join(', ')}` }).default('invoice'),
  when: conditionSchema.optional(),
  catch_up: z.enum(['latest', 'all', 'none']).default('latest'),
  group: z.boolean().default(true),
  skip_pre_due_for_auto_pay: z.boolean().default(true),
  steps: z.array(stepSchema).min(1),
  schedule: scheduleSchema.optional(),
  threshold: thresholdSchema.optional(),
  task: taskSchema.optional(),
  early_payment_discount: discountSchema.optional(),
})
  .superRefine(
    (raw, ctx) => {
      if (typeof raw !== 'object' || raw === null) return;
      const trigger = (raw.trigger ?? 'invoice') as Policy['trigger'];
      const needed = TRIGGER_NEEDS[trigger];
      if (needed && (raw as Record<string, unknown>)[needed] === undefined) {
        ctx.addIssue({ code: 'custom', path: [needed], message: `a ${trigger} policy needs ${needed}` });
      }
      for (const [key, only] of Object.entries(ONLY_FOR)) {
        if ((raw as Record<string, unknown>)[key] !== undefined && trigger !== only) {
          ctx.addIssue({ code: 'custom', path: [key], message: `only a ${only} policy has ${key}` });
        }
      }
    },
    { when: () => true },
  )
  .transform((raw, ctx): Policy => {
    checkStepAnchors(raw.trigger, raw.steps, ctx);
    return {
      id: raw.id,
      name: raw.name ?? raw.id,
      trigger: raw.trigger,
      when: raw.when ?? null,
      catchUp: raw.catch_up,
      group: raw.group,
      skipPreDueForAutoPay: raw.skip_pre_due_for_auto_pay,
      steps: raw.steps,
      schedule: raw.schedule ?? null,
      threshold: raw.threshold ?? null,
      task: raw.task ? { dueInDays: raw.task.due_in } : null,
      earlyPaymentDiscount: raw.early_payment_discount
        ? {
            percent: raw.early_payment_discount.percent,
            daysBeforeDue: raw.early_payment_discount.days_before_due,
          }
        : null,
    };
  });

/** Steps are timed from dates their trigger has; a repeat with no end needs an instant anchor (it runs while a condition holds). */
function checkStepAnchors(trigger: Policy['trigger'], steps: Step[], ctx: z.RefinementCtx): void {
  const anchors: readonly string[] = TRIGGER_ANCHORS[trigger];
  steps.forEach((step, j) => {
    for (const field of ['at', 'until'] as const) {
      const offset = step[field];
      if (offset && !anchors.includes(offset.anchor)) {
        const hint = didYouMean(offset.anchor, [...anchors]);
        ctx.addIssue({
          code: 'custom',
          path: ['steps', j, field],
          message: `a ${trigger} policy times steps from ${anchors.join(' or ')}, not "${offset.anchor}"${hint}`,
        });
      }
    }
    if (step.everyDays !== null && step.until === null && !INSTANT_ANCHOR_NAMES.has(step.at.anchor)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', j, 'every'],
        message: `needs until: say when the repeats stop, like until: ${anchors[0]}+90d`,
      });
    }
  });
}

const INSTANT_ANCHOR_NAMES: ReadonlySet<string> = INSTANT_ANCHORS;
