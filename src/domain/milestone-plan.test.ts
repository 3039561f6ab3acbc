import { describe, expect, it } from 'vitest';
import { ADDRESS_KINDS, account, contact, step, testConfig } from '../../test/support/domain-fixtures.ts';
import type { DulyConfig, Policy } from './config.ts';
import {
  type Milestone,
  type MilestoneFacts,
  milestoneRoundKey,
  milestoneStop,
  planMilestone,
} from './milestone-plan.ts';
import type { PlanEnv } from './schedule-steps.ts';
import { createSendWindow } from './send-window.ts';
import type { Touch } from './types.ts';

const iso = (text: string) => Date.parse(text);
const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const READY = iso('2026-03-10T15:00:00Z');
const DAY = 86_400_000;

const approvalPolicy: Policy = {
  id: 'milestone-approval',
  name: 'Milestone approval',
  trigger: 'milestone',
  when: null,
  catchUp: 'latest',
  group: false,
  skipPreDueForAutoPay: false,
  schedule: null,
  threshold: null,
  task: null,
  earlyPaymentDiscount: null,
  steps: [
    step('ready', 0, { at: { anchor: 'ready', days: 0 }, template: 'milestone-ready' }),
    step('reminder', 3, { at: { anchor: 'ready', days: 3 }, template: 'milestone-reminder' }),
    step('decided', 0, {
      at: { anchor: 'decided', days: 0 },
      to: [{ audience: 'team', role: null, owner: true }],
      via: ['team'],
      template: 'milestone-decided',
    }),
  ],
};

function env(overrides: Partial<DulyConfig> = {}): PlanEnv {
  const config = testConfig({ policies: [approvalPolicy], ...overrides });
  const calendar = { isBusinessDay: () => true };
  return {
    config,
    addressKinds: ADDRESS_KINDS,
    window: createSendWindow(calendar, config.quietHours, config.sendTime),
  };
}

function milestoneFacts(overrides: Partial<Milestone> = {}, zone: string | null = null): MilestoneFacts {
  return {
    milestone: {
      id: 'M-1',
      accountId: 'acme',
      contractId: null,
      title: 'Phase 1',
      amount: 450_000,
      currency: 'USD',
      state: 'ready',
      readyAt: READY,
      decidedAt: null,
      decidedBy: null,
      decisionNote: null,
      ...overrides,
    },
    account: account('acme', { timezone: zone }),
    contacts: [contact('c1', 'acme')],
  };
}

const plan = (f: MilestoneFacts, now: number, e = env()) => planMilestone(e.config.policies, f, now, e);
const summary = (p: ReturnType<typeof plan>) =>
  p.touches.map((t) => `${t.stepId} ${t.audience}:${t.recipient} ${t.channel} ${isoOf(t.dueAt)}`);

describe('planMilestone', () => {
  it.each([
    [
      'the moment it is marked ready',
      READY,
      ['ready client:c1 email 2026-03-10T15:00:00.000Z'],
      READY + 3 * DAY,
    ],
    // The latest step due is offered again; its dedupe key keeps the outbox at one copy.
    [
      'a day later: the same first message',
      READY + DAY,
      ['ready client:c1 email 2026-03-10T15:00:00.000Z'],
      READY + 3 * DAY,
    ],
    [
      '3 days later, unanswered: the reminder',
      READY + 3 * DAY,
      ['reminder client:c1 email 2026-03-13T15:00:00.000Z'],
      null,
    ],
  ])('should plan %s', (_name, now, expected, next) => {
    const result = plan(milestoneFacts(), now);
    expect(summary(result)).toEqual(expected);
    expect(result.nextPlanAt).toBe(next);
  });

  it('should write nothing about a milestone that is not ready yet', () => {
    expect(plan(milestoneFacts({ state: 'pending', readyAt: null }), READY)).toEqual({
      touches: [],
      nextPlanAt: null,
    });
  });

  it.each([
    ['approved', 'approved'],
    ['changes requested', 'changes_requested'],
  ] as const)('should tell the team, and no longer the client, once %s', (_name, state) => {
    const decidedAt = READY + DAY;
    const result = plan(milestoneFacts({ state, decidedAt }), READY + 4 * DAY);
    expect(summary(result)).toEqual(['decided team:* team 2026-03-11T15:00:00.000Z']);
    expect(result.nextPlanAt).toBeNull();
  });

  it('should key every touch by its review round, so a new round writes again', () => {
    const first = plan(milestoneFacts(), READY).touches[0];
    const later = READY + 5 * DAY;
    const second = plan(milestoneFacts({ readyAt: later }), later).touches[0];
    expect(first?.dedupeKey).toContain(`/M-1@${READY}/`);
    expect(second?.dedupeKey).toContain(`/M-1@${later}/`);
    expect(first?.dedupeKey).not.toBe(second?.dedupeKey);
  });

  it('should ignore a decision from an earlier round', () => {
    // Marked ready again after changes were requested: the old decision no longer anchors the team step.
    const result = plan(milestoneFacts({ decidedAt: READY - DAY }), READY);
    expect(summary(result)).toEqual(['ready client:c1 email 2026-03-10T15:00:00.000Z']);
  });

  it('should hold a message marked ready at night until quiet hours end, across the DST change', () => {
    // 2026-03-09 02:00 in New York is the day after clocks went forward (EDT, UTC-4).
    const night = iso('2026-03-09T06:00:00Z');
    const quiet = env({ quietHours: { from: 21 * 60, to: 8 * 60 } });
    const result = plan(milestoneFacts({ readyAt: night }, 'America/New_York'), night, quiet);
    expect(summary(result)).toEqual(['ready client:c1 email 2026-03-09T12:00:00.000Z']);
  });
});

describe('milestoneStop', () => {
  const touch = (audience: 'client' | 'team', round = milestoneRoundKey({ id: 'M-1', readyAt: READY })) =>
    ({
      dedupeKey: `milestone-approval/reminder/0/${round}/${audience}:c1/email`,
      audience,
      cycle: 0,
    }) as Touch;

  it.each([
    ['approved', 'milestone approved'],
    ['changes_requested', 'changes requested'],
  ] as const)('should cancel a client reminder once %s', (state, reason) => {
    expect(milestoneStop(touch('client'), milestoneFacts({ state }), READY)).toEqual({
      kind: 'cancel',
      reason,
    });
  });

  it('should let the team hear about a decision', () => {
    expect(milestoneStop(touch('team'), milestoneFacts({ state: 'approved' }), READY)).toBeNull();
  });

  it('should cancel a message of an earlier round', () => {
    expect(milestoneStop(touch('client', `M-1@${READY - DAY}`), milestoneFacts(), READY)).toEqual({
      kind: 'cancel',
      reason: 'a new review round began',
    });
  });

  it('should cancel when the milestone is gone', () => {
    expect(milestoneStop(touch('client'), null, READY)).toMatchObject({ kind: 'cancel' });
  });
});
