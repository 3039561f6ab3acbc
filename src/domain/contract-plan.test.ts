import { describe, expect, it } from 'vitest';
import { ADDRESS_KINDS, step, testConfig } from '../../test/support/domain-fixtures.ts';
import { createBusinessCalendar } from './business-calendar.ts';
import type { Policy } from './config.ts';
import { type ContractFacts, contractTouchMoot, planContract } from './contract-plan.ts';
import { createSendWindow } from './send-window.ts';

const at = (iso: string) => Date.parse(iso);
const config = testConfig({
  team: [
    { id: 'ana', name: 'Ana', email: 'ana@example.com', phone: null, roles: [], timezone: 'Asia/Tokyo' },
  ],
});
const env = {
  config,
  addressKinds: ADDRESS_KINDS,
  window: createSendWindow(createBusinessCalendar(config), null, config.sendTime),
};

const renewal: Policy = {
  id: 'renewal',
  name: 'Renewal',
  trigger: 'renewal',
  when: null,
  catchUp: 'latest',
  group: false,
  skipPreDueForAutoPay: false,
  schedule: null,
  threshold: null,
  task: null,
  earlyPaymentDiscount: null,
  steps: [step('notice', -7, { at: { anchor: 'renewal', days: -7 } })],
};
const ending: Policy = {
  ...renewal,
  id: 'ending',
  trigger: 'contract_end',
  steps: [
    step('end-30', -30, {
      at: { anchor: 'end', days: -30 },
      to: [{ audience: 'team', role: null }],
      via: ['sms'],
    }),
  ],
};

function facts(contract: Partial<ContractFacts['contract']> = {}, zone = 'America/New_York'): ContractFacts {
  return {
    account: {
      id: 'acme',
      name: 'Acme',
      timezone: zone,
      locale: null,
      currency: null,
      tags: [],
      owner: null,
      pausedUntil: null,
      pauseReason: null,
      autoPay: false,
      policyId: null,
    },
    contacts: [
      {
        id: 'jane',
        accountId: 'acme',
        name: 'Jane',
        email: 'jane@acme.example',
        phone: null,
        whatsapp: null,
        telegram: null,
        preferredChannel: null,
        timezone: null,
        locale: null,
        optOuts: [],
      },
    ],
    contract: {
      id: 'S-1',
      accountId: 'acme',
      name: 'Pro',
      kind: 'subscription',
      amount: 4900,
      currency: 'USD',
      startsOn: null,
      endsOn: null,
      autoRenew: true,
      renewsOn: '2026-03-15',
      nextInvoiceOn: null,
      decision: null,
      decidedAt: null,
      decidedBy: null,
      decisionNote: null,
      ...contract,
    },
    lastInvoice: null,
  };
}

describe('planContract', () => {
  it.each([
    // Renews 2026-03-15: notice on 03-08, the day New York moves to EDT (09:00 EDT = 13:00Z).
    ['New York, on the day DST starts', 'America/New_York', '2026-03-08T13:00:00.000Z'],
    ['Paris, still on CET', 'Europe/Paris', '2026-03-08T08:00:00.000Z'],
    ['Tokyo, a day ahead of UTC', 'Asia/Tokyo', '2026-03-08T00:00:00.000Z'],
  ])('should time a renewal notice at 09:00 local in %s', (_name, zone, expected) => {
    const plan = planContract(renewal, facts({}, zone), at('2026-03-01T00:00:00Z'), env);
    expect(plan.touches).toEqual([]);
    expect(new Date(plan.nextPlanAt ?? 0).toISOString()).toBe(expected);
    const due = planContract(renewal, facts({}, zone), plan.nextPlanAt ?? 0, env);
    expect(due.touches.map((t) => [new Date(t.dueAt).toISOString(), t.dedupeKey])).toEqual([
      [expected, 'renewal/notice/0/S-1@2026-03-15/client:jane/email'],
    ]);
  });

  it('should time a team notice in the team member zone, and name the period in the key', () => {
    const plan = planContract(ending, facts({ endsOn: '2026-04-20' }), at('2026-03-21T00:00:00Z'), env);
    expect(plan.touches.map((t) => [t.recipient, new Date(t.dueAt).toISOString(), t.dedupeKey])).toEqual([
      ['ana', '2026-03-21T00:00:00.000Z', 'ending/end-30/0/S-1@2026-04-20/team:ana/sms'],
    ]);
  });

  it.each([
    ['auto-renewal off', { autoRenew: false }],
    ['no renewal date', { renewsOn: null }],
    ['a renewal long past', { renewsOn: '2025-03-15' }],
  ])('should plan nothing with %s', (_name, change) => {
    expect(planContract(renewal, facts(change), at('2026-03-10T00:00:00Z'), env)).toEqual({
      touches: [],
      nextPlanAt: null,
    });
  });

  it('should plan no end notice once a decision is recorded', () => {
    const decided = facts({ endsOn: '2026-04-20', decision: 'end' });
    expect(planContract(ending, decided, at('2026-03-21T00:00:00Z'), env).touches).toEqual([]);
  });
});

describe('contractTouchMoot', () => {
  const touch = {
    policyId: 'renewal',
    stepId: 'notice',
    cycle: 0,
    dedupeKey: 'renewal/notice/0/S-1@2026-03-15/client:jane/email',
  };
  const today = 20_520;
  it.each([
    ['the same period', {}, null],
    ['auto-renewal turned off', { autoRenew: false }, 'auto-renewal is off'],
    ['a moved date', { renewsOn: '2026-04-15' }, 'renews_on moved to 2026-04-15'],
  ])('should say %s is %s', (_name, change, reason) => {
    expect(contractTouchMoot(touch, 'renewal', facts(change), today)).toBe(reason);
  });
  it('should stop an end notice once decided', () => {
    const end = { ...touch, dedupeKey: 'ending/end-30/0/S-1@2026-04-20/team:ana/sms' };
    expect(
      contractTouchMoot(end, 'end', facts({ endsOn: '2026-04-20', decision: 'renegotiate' }), today),
    ).toBe('decision recorded: renegotiate');
  });
});
