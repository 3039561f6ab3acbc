import { describe, expect, it } from 'vitest';
import { ADDRESS_KINDS, dunningPolicy, facts, step, testConfig } from '../../test/support/domain-fixtures.ts';
import type { DulyConfig } from './config.ts';
import { type PlanEnv, planInvoice } from './planner.ts';
import { createSendWindow } from './send-window.ts';

const iso = (text: string) => Date.parse(text);
const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function env(config: DulyConfig = testConfig()): PlanEnv {
  const calendar = {
    isBusinessDay: (date: string) => {
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
      return config.businessDays.includes(weekday as never) && !config.holidays.dates.includes(date);
    },
  };
  return {
    config,
    addressKinds: ADDRESS_KINDS,
    window: createSendWindow(calendar, config.quietHours, config.sendTime),
  };
}

const plan = (f: ReturnType<typeof facts>, now: string, e = env()) =>
  planInvoice(e.config.policies, f, iso(now), e);

describe('planInvoice: the default schedule', () => {
  it.each([
    [
      '3 days before due, 09:00 Tokyo',
      'Asia/Tokyo',
      '2026-06-12T00:00:00Z',
      'upcoming',
      '2026-06-12T00:00:00.000Z',
    ],
    [
      '3 days before due, 09:00 New York',
      'America/New_York',
      '2026-06-12T13:00:00Z',
      'upcoming',
      '2026-06-12T13:00:00.000Z',
    ],
    ['on the due date, 09:00 Tokyo', 'Asia/Tokyo', '2026-06-15T00:00:00Z', 'due', '2026-06-15T00:00:00.000Z'],
    [
      '7 days late, 09:00 New York',
      'America/New_York',
      '2026-06-22T13:00:00Z',
      'second',
      '2026-06-22T13:00:00.000Z',
    ],
  ])('should plan %s', (_name, zone, now, stepId, dueAt) => {
    const result = plan(facts('2026-06-15', { zone }), now);
    expect(result.touches.map((t) => [t.stepId, isoOf(t.dueAt)])).toContainEqual([stepId, dueAt]);
  });

  it('should give Tokyo and New York clients their reminder at the same local hour', () => {
    const tokyo = plan(facts('2026-06-15', { zone: 'Asia/Tokyo' }), '2026-06-18T23:59:00Z');
    const newYork = plan(facts('2026-06-15', { zone: 'America/New_York' }), '2026-06-18T23:59:00Z');
    const localHour = (ms: number, timeZone: string) =>
      Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(ms));
    expect(tokyo.touches[0]?.stepId).toBe('first');
    expect(newYork.touches[0]?.stepId).toBe('first');
    expect(localHour(tokyo.touches[0]?.dueAt ?? 0, 'Asia/Tokyo')).toBe(9);
    expect(localHour(newYork.touches[0]?.dueAt ?? 0, 'America/New_York')).toBe(9);
    expect(tokyo.touches[0]?.dueAt).not.toBe(newYork.touches[0]?.dueAt);
  });

  it('should plan nothing before the first step and say when to look again', () => {
    const result = plan(facts('2026-06-15', { zone: 'America/New_York' }), '2026-06-01T00:00:00Z');
    expect(result.touches).toEqual([]);
    expect(isoOf(result.nextPlanAt)).toBe('2026-06-12T13:00:00.000Z');
  });

  it('should keep 09:00 local across the spring daylight-saving change in New York', () => {
    // Due Sunday 2026-03-08, the day clocks go forward: 3 days before is EST (-5), 3 days after is EDT (-4).
    const before = plan(facts('2026-03-08', { zone: 'America/New_York' }), '2026-03-05T14:00:00Z');
    const after = plan(facts('2026-03-08', { zone: 'America/New_York' }), '2026-03-11T13:00:00Z');
    expect(before.touches.map((t) => [t.stepId, isoOf(t.dueAt)])).toEqual([
      ['upcoming', '2026-03-05T14:00:00.000Z'],
    ]);
    expect(after.touches.map((t) => [t.stepId, isoOf(t.dueAt)])).toEqual([
      ['first', '2026-03-11T13:00:00.000Z'],
    ]);
  });

  it('should keep 09:00 local across the autumn change in Europe/Paris', () => {
    const result = plan(facts('2026-10-22', { zone: 'Europe/Paris' }), '2026-10-29T08:00:00Z');
    expect(result.touches.map((t) => [t.stepId, isoOf(t.dueAt)])).toEqual([
      ['second', '2026-10-29T08:00:00.000Z'],
    ]);
  });
});

describe('planInvoice: catch-up and holds', () => {
  it('should send only the most recent missed step after a 10-day outage (catch-up latest)', () => {
    const result = plan(facts('2026-06-15', { zone: 'UTC' }), '2026-06-23T10:00:00Z');
    expect(result.touches.map((t) => `${t.stepId}/${t.channel}`)).toEqual(['second/email']);
    expect(isoOf(result.nextPlanAt)).toBe('2026-06-29T09:00:00.000Z');
  });

  it('should send every missed step with catch-up all, and none older than a day with catch-up none', () => {
    const all = env(testConfig({ policies: [dunningPolicy({ catchUp: 'all' })] }));
    const none = env(testConfig({ policies: [dunningPolicy({ catchUp: 'none' })] }));
    const f = facts('2026-06-15', { zone: 'UTC' });
    expect(plan(f, '2026-06-23T10:00:00Z', all).touches.map((t) => t.stepId)).toEqual([
      'upcoming',
      'due',
      'first',
      'second',
    ]);
    expect(plan(f, '2026-06-23T10:00:00Z', none).touches).toEqual([]);
    expect(plan(f, '2026-06-22T10:00:00Z', none).touches.map((t) => t.stepId)).toEqual(['second']);
  });

  it.each([
    ['paid', { status: 'paid', balance: 0 }],
    ['void', { status: 'void' }],
    ['written off', { status: 'written_off' }],
    ['disputed', { disputed: true }],
    ['draft', { status: 'draft' }],
  ] as const)('should plan nothing for a %s invoice', (_name, overrides) => {
    const result = plan(facts('2026-06-15', { zone: 'UTC', invoice: overrides }), '2026-06-23T10:00:00Z');
    expect(result).toEqual({ touches: [], nextPlanAt: null });
  });

  it('should wait out an account pause and then send the latest missed step', () => {
    const paused = facts('2026-06-15', {
      zone: 'UTC',
      account: { pausedUntil: Date.parse('2026-06-20T00:00:00Z') },
    });
    expect(plan(paused, '2026-06-18T10:00:00Z')).toEqual({
      touches: [],
      nextPlanAt: Date.parse('2026-06-20T00:00:00Z'),
    });
    expect(plan(paused, '2026-06-20T00:00:00Z').touches.map((t) => t.stepId)).toEqual(['first']);
  });

  it('should keep the schedule after a partial payment', () => {
    const open = plan(facts('2026-06-15', { zone: 'UTC' }), '2026-06-22T10:00:00Z');
    const partial = plan(
      facts('2026-06-15', { zone: 'UTC', invoice: { status: 'partial', balance: 20_000 } }),
      '2026-06-22T10:00:00Z',
    );
    expect(partial.touches.map((t) => t.dedupeKey)).toEqual(open.touches.map((t) => t.dedupeKey));
  });

  it('should skip reminders before the due date for accounts on auto-pay', () => {
    const result = plan(
      facts('2026-06-15', { zone: 'UTC', account: { autoPay: true } }),
      '2026-06-13T10:00:00Z',
    );
    expect(result.touches).toEqual([]);
    expect(isoOf(result.nextPlanAt)).toBe('2026-06-15T09:00:00.000Z');
  });
});

describe('planInvoice: steps that share a day', () => {
  // Found by planner.property.test.ts: steps were scanned in step order, so an earlier step with a later send
  // time hid a later step due sooner, and catch-up `latest` then kept the older of the two.
  const sameDay = env(
    testConfig({
      policies: [dunningPolicy({ steps: [step('evening', 0, { sendTime: 20 * 60 }), step('morning', 0)] })],
    }),
  );
  it.each([
    ['before both', '2026-06-15T08:00:00Z', [], '2026-06-15T09:00:00.000Z'],
    ['between them', '2026-06-15T10:00:00Z', ['morning'], '2026-06-15T20:00:00.000Z'],
    ['after both (catch-up latest)', '2026-06-15T21:00:00Z', ['evening'], null],
  ])('should plan them in time order: %s', (_name, now, stepIds, nextPlanAt) => {
    const result = plan(facts('2026-06-15', { zone: 'UTC' }), now, sameDay);
    expect(result.touches.map((t) => t.stepId)).toEqual(stepIds);
    expect(isoOf(result.nextPlanAt)).toBe(nextPlanAt);
  });
});

describe('planInvoice: recipients, channels and conditions', () => {
  it('should be deterministic: planning twice gives the same dedupe keys', () => {
    const f = facts('2026-06-15', { zone: 'UTC', contact: { phone: '+15550100' } });
    const a = plan(f, '2026-06-22T10:00:00Z');
    const b = plan(f, '2026-06-22T10:00:00Z');
    expect(a.touches.map((t) => t.dedupeKey)).toEqual([
      'standard-dunning/second/0/i1/client:c1/email',
      'standard-dunning/second/0/i1/client:c1/sms',
    ]);
    expect(b).toEqual(a);
  });

  it('should use the preferred channel first and respect opt-outs', () => {
    const e = env(
      testConfig({ policies: [dunningPolicy({ steps: [step('first', 3, { via: ['email', 'sms'] })] })] }),
    );
    const prefersSms = facts('2026-06-15', {
      zone: 'UTC',
      contact: { phone: '+15550100', preferredChannel: 'sms' },
    });
    const optedOut = facts('2026-06-15', {
      zone: 'UTC',
      contact: { phone: '+15550100', optOuts: ['email'] },
    });
    expect(plan(prefersSms, '2026-06-18T10:00:00Z', e).touches.map((t) => t.channel)).toEqual(['sms']);
    expect(plan(optedOut, '2026-06-18T10:00:00Z', e).touches.map((t) => t.channel)).toEqual(['sms']);
  });

  it('should escalate to the team only above the balance threshold, in the currency of the invoice', () => {
    const big = facts('2026-06-15', { zone: 'UTC', invoice: { balance: 600_000, amount: 600_000 } });
    const small = facts('2026-06-15', { zone: 'UTC' });
    const euro = facts('2026-06-15', {
      zone: 'UTC',
      invoice: { balance: 600_000, amount: 600_000, currency: 'EUR' },
    });
    const at = '2026-07-06T14:00:00Z'; // the team's zone is New York: 09:00 there
    expect(plan(big, at).touches.map((t) => [t.stepId, t.audience, t.recipient, t.channel])).toEqual([
      ['final', 'client', 'c1', 'email'],
      ['escalate', 'team', '*', 'team'],
    ]);
    expect(plan(small, at).touches.map((t) => t.stepId)).toEqual(['final']);
    expect(plan(euro, at).touches.map((t) => t.stepId)).toEqual(['final']);
  });

  it('should repeat a step every 7 days until its end', () => {
    const repeat = step('nudge', 28, { everyDays: 7, until: { anchor: 'due', days: 42 } });
    const e = env(testConfig({ policies: [dunningPolicy({ steps: [repeat] })] }));
    const f = facts('2026-06-01', { zone: 'UTC' });
    expect(plan(f, '2026-07-06T09:00:00Z', e).touches.map((t) => t.cycle)).toEqual([1]);
    expect(isoOf(plan(f, '2026-07-06T09:00:00Z', e).nextPlanAt)).toBe('2026-07-13T09:00:00.000Z');
    expect(plan(f, '2026-07-13T09:00:00Z', e).nextPlanAt).toBeNull();
  });
});

describe('planInvoice: business days and quiet hours', () => {
  const weekdays = testConfig({
    businessDays: [1, 2, 3, 4, 5],
    holidays: { country: null, dates: ['2026-06-22'] },
  });

  it('should move a step that falls on a weekend and a holiday to the next business day', () => {
    // due+3d of 2026-06-17 is Saturday 06-20; Monday 06-22 is a listed holiday: Tuesday 09:00.
    const result = plan(
      facts('2026-06-17', { zone: 'America/New_York' }),
      '2026-06-20T13:00:00Z',
      env(weekdays),
    );
    expect(result.touches.map((t) => [t.stepId, isoOf(t.scheduledAt), isoOf(t.dueAt)])).toEqual([
      ['first', '2026-06-20T13:00:00.000Z', '2026-06-23T13:00:00.000Z'],
    ]);
  });

  it('should defer a step whose send time falls in quiet hours to when they end', () => {
    const quiet = testConfig({ quietHours: { from: 21 * 60, to: 8 * 60 }, sendTime: 22 * 60 });
    const result = plan(facts('2026-06-15', { zone: 'Asia/Tokyo' }), '2026-06-18T13:00:00Z', env(quiet));
    // 22:00 Tokyo on 06-18 is quiet: out at 08:00 Tokyo on 06-19.
    expect(result.touches.map((t) => isoOf(t.dueAt))).toEqual(['2026-06-18T23:00:00.000Z']);
  });

  it('should not move a send to a business day at a send time that is itself quiet', () => {
    // Found by planner.property.test.ts. Quiet 00:00–10:00 with send time 09:00: Saturday's step goes out
    // Monday when quiet hours end, not at 09:00.
    const quiet = testConfig({
      businessDays: [1, 2, 3, 4, 5],
      quietHours: { from: 0, to: 10 * 60 },
      sendTime: 9 * 60,
    });
    const result = plan(facts('2026-06-17', { zone: 'UTC' }), '2026-06-20T09:00:00Z', env(quiet));
    expect(result.touches.map((t) => isoOf(t.dueAt))).toEqual(['2026-06-22T10:00:00.000Z']);
  });
});
