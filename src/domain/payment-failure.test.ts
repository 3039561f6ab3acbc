import { describe, expect, it } from 'vitest';
import {
  ADDRESS_KINDS,
  dunningPolicy,
  facts as invoiceFacts,
  step,
  testConfig,
} from '../../test/support/domain-fixtures.ts';
import { parseDayOffset } from '../config/config-values.ts';
import { createBusinessCalendar } from './business-calendar.ts';
import type { Policy } from './config.ts';
import {
  type FailedPayment,
  guardPaymentTouch,
  type PaymentFacts,
  planPaymentFailure,
  taskDueOn,
  taskOwner,
} from './payment-failure.ts';
import type { PlanEnv } from './schedule-steps.ts';
import { createSendWindow } from './send-window.ts';
import type { InvoiceStatus, Touch } from './types.ts';

const FAILED = Date.parse('2026-03-10T14:00:00Z');
const MIN = 60_000;
const team = [{ audience: 'team' as const, role: null }];

const policy: Policy = dunningPolicy({
  id: 'failed-payment',
  trigger: 'payment_failed',
  steps: [
    step('team-alert', 0, { at: { anchor: 'failed', days: 0 }, to: team, via: ['team'] }),
    // 13 minutes is not a whole number of milliseconds as a fraction of a day.
    step('client-notice', 0, { at: { anchor: 'failed', days: 13 / 1440 } }),
    step('recovered', 0, { at: { anchor: 'recovered', days: 0 }, to: team, via: ['team'] }),
  ],
});

const config = testConfig({
  policies: [policy],
  dispatch: { ...testConfig().dispatch, planAheadMs: 3_600_000 },
});
const env: PlanEnv = {
  config,
  addressKinds: ADDRESS_KINDS,
  window: createSendWindow(createBusinessCalendar(config), null, config.sendTime),
};

function paymentFacts(payment: Partial<FailedPayment> = {}, status: InvoiceStatus = 'open'): PaymentFacts {
  const base = invoiceFacts('2026-03-05', {
    invoice: { status, balance: status === 'paid' ? 0 : 120_000 },
    account: { pausedUntil: FAILED + 86_400_000, pauseReason: 'holiday' },
  });
  return {
    ...base,
    payment: {
      id: 'pay-1',
      invoiceId: base.invoice.id,
      amount: 120_000,
      currency: 'USD',
      failedAt: FAILED,
      reason: null,
      recoveredAt: null,
      ...payment,
    },
  };
}

describe('planning a failed payment', () => {
  it.each([
    [
      'at the failure: the alert now, the notice 13 minutes on',
      {},
      'open',
      FAILED,
      ['team-alert@0', 'client-notice@13'],
    ],
    [
      'recovered a minute on: no notice; the recovery (the alert went already; catch-up keeps the latest)',
      { recoveredAt: FAILED + MIN },
      'paid',
      FAILED + MIN,
      ['recovered@1'],
    ],
    ['invoice voided before recovery: nothing more', {}, 'void', FAILED, []],
  ] as const)('%s', (_name, payment, status, now, expected) => {
    const plan = planPaymentFailure(policy, paymentFacts(payment, status), now, env);
    const got = plan.touches.map((t) => `${t.stepId}@${(t.scheduledAt - FAILED) / MIN}`);
    expect(got.sort()).toEqual([...expected].sort());
    for (const t of plan.touches) {
      expect(Number.isInteger(t.dueAt)).toBe(true);
      expect(t.subjectKind).toBe('payment');
    }
  });
});

describe('the last look before a failed-payment message', () => {
  const touch = (stepId: string, audience: 'client' | 'team'): Touch => ({
    id: '1',
    dedupeKey: 'k',
    policyId: 'failed-payment',
    stepId,
    cycle: 0,
    subjectKind: 'payment',
    subjectId: 'pay-1',
    accountId: 'acme',
    audience,
    recipient: audience === 'client' ? 'c1' : '*',
    channel: audience === 'client' ? 'email' : 'team',
    template: stepId,
    dueAt: FAILED,
    scheduledAt: FAILED,
    stepIndex: 0,
    state: 'planned',
    attempts: 1,
    nextAttemptAt: FAILED,
    reason: null,
  });
  const guardEnv = (kind: 'email' | null) => ({ config, window: env.window, addressKind: kind });
  const unpaused = (f: PaymentFacts): PaymentFacts => ({
    ...f,
    account: { ...f.account, pausedUntil: null },
  });

  it.each([
    [
      'client notice after recovery',
      touch('client-notice', 'client'),
      paymentFacts({ recoveredAt: FAILED }),
      'cancel',
      'payment recovered',
    ],
    [
      'client notice, invoice paid',
      touch('client-notice', 'client'),
      paymentFacts({}, 'paid'),
      'cancel',
      'invoice paid',
    ],
    ['client notice, account paused', touch('client-notice', 'client'), paymentFacts(), 'skip', null],
    [
      'client notice, owed and reachable',
      touch('client-notice', 'client'),
      unpaused(paymentFacts()),
      'send',
      null,
    ],
    ['team alert, account paused', touch('team-alert', 'team'), paymentFacts(), 'send', null],
  ] as const)('%s: %s', (_name, t, f, kind, reason) => {
    const decision = guardPaymentTouch(
      t,
      f,
      FAILED + MIN,
      guardEnv(t.audience === 'client' ? 'email' : null),
    );
    expect(decision.kind).toBe(kind);
    if (reason) expect(decision).toMatchObject({ reason });
  });

  it('should cancel a message about a payment that no longer exists', () => {
    expect(guardPaymentTouch(touch('team-alert', 'team'), null, FAILED, guardEnv(null)).kind).toBe('cancel');
  });
});

describe('the follow-up task', () => {
  it('should go to the owner on the team, else the first collector or manager', () => {
    expect(taskOwner(config, 'ana')).toBe('ana');
    expect(taskOwner(config, 'gone')).toBe('ana');
    expect(taskOwner({ ...config, team: [] }, null)).toBeNull();
  });

  it("should fall due in the team's zone: late evening in New York is still the 9th there", () => {
    expect(taskDueOn(config, Date.parse('2026-03-10T03:00:00Z'), 2)).toBe('2026-03-11');
  });
});

describe('offsets in minutes and hours', () => {
  it.each([
    ['failed+15m', 15 * 60_000],
    ['failed+1h', 3_600_000],
    ['failed+2d', 2 * 86_400_000],
  ])('should read %s', (text, ms) => {
    const parsed = parseDayOffset(text);
    if (!('value' in parsed)) throw new Error(parsed.error);
    expect(parsed.value.anchor).toBe('failed');
    expect(Math.round(parsed.value.days * 86_400_000)).toBe(ms);
  });

  it('should refuse minutes from a date', () => {
    expect(parseDayOffset('due+15m')).toEqual({ error: expect.stringContaining('whole days') });
  });
});
