import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ADDRESS_KINDS, testConfig } from '../../test/support/domain-fixtures.ts';
import type {
  CatchUp,
  Condition,
  DulyConfig,
  Policy,
  QuietHours,
  Step,
  TeamMember,
  Weekday,
} from './config.ts';
import { NONE_CATCH_UP_GRACE_MS, type PlanEnv, planInvoice } from './planner.ts';
import { createSendWindow } from './send-window.ts';
import {
  type Account,
  type Contact,
  INVOICE_STATUSES,
  type Instant,
  type Invoice,
  type InvoiceFacts,
  type PlannedTouch,
} from './types.ts';

/**
 * Properties of the planner over generated invoices, zones, policies and instants. Every run is
 * seeded: on failure fast-check prints the seed and path; replay with `fc.assert(…, { seed, path })`.
 * The oracles below use Luxon directly, never the planner's own zone or calendar helpers.
 */

const RUNS = { numRuns: Number(process.env.DULY_PROPERTY_RUNS) || 250 };
const ZONES = [
  'UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
] as const;
const FIRST_DAY = DateTime.fromISO('2025-01-01', { zone: 'utc' });

// ---------------------------------------------------------------------------------------------- inputs

/** Days in 2025–2027 on which some zone of the list changes its UTC offset. */
const TRANSITION_DAYS = ZONES.flatMap((z) => {
  const days: number[] = [];
  for (let d = 1; d < 3 * 365; d++) {
    const noon = (n: number) =>
      FIRST_DAY.plus({ days: n }).setZone(z, { keepLocalTime: true }).set({ hour: 12 });
    if (noon(d).offset !== noon(d - 1).offset) days.push(d);
  }
  return days;
});

const zone = fc.constantFrom(...ZONES);
/** Any minute of the day, often one near the small hours when clocks change. */
const minute = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 1439 }) },
  fc.integer({ min: 0, max: 16 }).map((q) => q * 15),
  fc.constantFrom(0, 1, 1438, 1439),
);
/** A calendar date in 2025–2027, often near a DST change. */
const date = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 * 365 - 1 }) },
    fc.tuple(fc.constantFrom(...TRANSITION_DAYS), fc.integer({ min: -3, max: 3 })).map(([d, k]) => d + k),
  )
  .map((d) => FIRST_DAY.plus({ days: d }).toISODate() ?? '');
const instantIn2025To2028 = fc.integer({
  min: Date.UTC(2024, 11, 1),
  max: Date.UTC(2028, 2, 1),
});

const stepCondition: fc.Arbitrary<Condition | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  fc.integer({ min: 1, max: 500_000 }).map((n) => ({ balanceGte: { byCurrency: { USD: n }, any: null } })),
  fc.integer({ min: 1, max: 500_000 }).map((n) => ({ balanceLt: { byCurrency: {}, any: n } })),
  fc.integer({ min: -10, max: 30 }).map((n) => ({ daysOverdueGte: n })),
);
/** Policy conditions do not depend on the day, so the policy chosen for an invoice never changes with `now`. */
const policyCondition: fc.Arbitrary<Condition | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  fc.integer({ min: 1, max: 500_000 }).map((n) => ({ balanceGte: { byCurrency: {}, any: n } })),
  fc.constant<Condition>({ status: ['open'] }),
  fc.constant<Condition>({ tagsAny: ['vip'] }),
);

const stepShape = fc.record({
  anchor: fc.constantFrom('due', 'due', 'due', 'issued') as fc.Arbitrary<'due' | 'issued'>,
  days: fc.oneof(fc.integer({ min: -10, max: 60 }), fc.integer({ min: -1, max: 1 })),
  sendTime: fc.option(minute, { nil: null }),
  to: fc.subarray(
    [
      { audience: 'client', role: null },
      { audience: 'team', role: null },
      { audience: 'team', role: 'manager' },
    ] as const,
    { minLength: 1 },
  ),
  via: fc.shuffledSubarray(['email', 'sms', 'team'], { minLength: 1 }),
  deliver: fc.constantFrom('first', 'all') as fc.Arbitrary<'first' | 'all'>,
  when: stepCondition,
  repeat: fc.option(
    fc.record({ every: fc.integer({ min: 1, max: 14 }), span: fc.integer({ min: 0, max: 60 }) }),
    {
      nil: null,
    },
  ),
});

const steps: fc.Arbitrary<Step[]> = fc.array(stepShape, { minLength: 1, maxLength: 5 }).map((shapes) =>
  shapes.map(
    (s, i): Step => ({
      id: `s${i}`,
      at: { anchor: s.anchor, days: s.days },
      sendTime: s.sendTime,
      to: s.to.map((t) => ({ ...t })),
      via: s.via,
      deliver: s.deliver,
      template: `t${i}`,
      when: s.when,
      everyDays: s.repeat?.every ?? null,
      until: s.repeat ? { anchor: s.anchor, days: s.days + s.repeat.span } : null,
      charge: null,
      attachHistory: false,
    }),
  ),
);

const catchUp = fc.constantFrom<CatchUp>('latest', 'all', 'none');

const policies: fc.Arbitrary<Policy[]> = fc
  .array(
    fc.record({ when: policyCondition, catchUp, skipPreDue: fc.boolean(), group: fc.boolean(), steps }),
    { minLength: 1, maxLength: 2 },
  )
  .map((list) =>
    list.map(
      (p, i): Policy => ({
        id: `p${i}`,
        name: `Policy ${i}`,
        trigger: 'invoice',
        when: p.when,
        catchUp: p.catchUp,
        schedule: null,
        threshold: null,
        task: null,
        earlyPaymentDiscount: null,
        group: p.group,
        skipPreDueForAutoPay: p.skipPreDue,
        steps: p.steps,
      }),
    ),
  );

const quietHours: fc.Arbitrary<QuietHours | null> = fc.option(
  fc.record({ from: minute, to: minute }).filter((q) => q.from !== q.to),
  { nil: null },
);

const team: fc.Arbitrary<TeamMember[]> = fc
  .subarray([
    { id: 'ana', name: 'Ana', email: 'ana@example.com', phone: null, roles: ['manager'] },
    { id: 'bo', name: 'Bo', email: null, phone: '+15550101', roles: [] },
    { id: 'cy', name: 'Cy', email: 'cy@example.com', phone: '+15550102', roles: ['manager'] },
  ])
  .chain((members) =>
    fc
      .tuple(...members.map(() => fc.option(zone, { nil: null })))
      .map((zones) => members.map((m, i): TeamMember => ({ ...m, timezone: zones[i] ?? null }))),
  );

const config: fc.Arbitrary<DulyConfig> = fc
  .record({
    timezone: zone,
    sendTime: minute,
    businessDays: fc.subarray([1, 2, 3, 4, 5, 6, 7] as Weekday[], { minLength: 1 }),
    closedDates: fc.array(date, { maxLength: 6 }),
    quietHours,
    planAheadMinutes: fc.oneof(fc.constantFrom(0, 60), fc.integer({ min: 0, max: 24 * 60 })),
    team,
    policies,
  })
  .map((c) =>
    testConfig({
      timezone: c.timezone,
      sendTime: c.sendTime,
      businessDays: c.businessDays,
      holidays: { country: null, dates: c.closedDates },
      quietHours: c.quietHours,
      team: c.team,
      dispatch: { ...testConfig().dispatch, planAheadMs: c.planAheadMinutes * 60_000 },
      policies: c.policies,
    }),
  );

type ContactShape = Pick<Contact, 'email' | 'phone' | 'preferredChannel' | 'timezone' | 'optOuts'>;
const contact: fc.Arbitrary<ContactShape> = fc.record({
  email: fc.option(fc.constant('x@example.com'), { nil: null }),
  phone: fc.option(fc.constant('+15550100'), { nil: null }),
  preferredChannel: fc.constantFrom(null, 'email', 'sms', 'team'),
  timezone: fc.option(zone, { nil: null }),
  optOuts: fc.subarray(['email', 'sms', 'team']),
});

/** Null five times in six: a hold now and then, so most plans have something to say. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

function factsArbitrary(owed: boolean): fc.Arbitrary<InvoiceFacts> {
  return fc
    .record({
      dueOn: date,
      issuedBefore: fc.integer({ min: 0, max: 60 }),
      amount: fc.integer({ min: 1, max: 10_000_000 }),
      balance: owed
        ? fc.integer({ min: 1, max: 10_000_000 })
        : fc.oneof(fc.integer({ min: -1_000, max: 0 }), fc.integer({ min: 1, max: 10_000_000 })),
      currency: fc.constantFrom('USD', 'EUR'),
      status: owed
        ? fc.constantFrom('open' as const, 'partial' as const)
        : fc.constantFrom(...INVOICE_STATUSES),
      disputed: owed ? fc.constant(false) : fc.boolean(),
      invoicePause: sometimes(instantIn2025To2028),
      accountPause: sometimes(instantIn2025To2028),
      accountZone: fc.option(zone, { nil: null }),
      autoPay: fc.boolean(),
      tags: fc.subarray(['vip', 'retail']),
      contacts: fc.oneof(
        { weight: 4, arbitrary: fc.array(contact, { minLength: 1, maxLength: 3 }) },
        fc.constant([] as ContactShape[]),
      ),
    })
    .map((f): InvoiceFacts => {
      const account: Account = {
        id: 'acme',
        name: 'Acme',
        timezone: f.accountZone,
        locale: null,
        currency: null,
        tags: f.tags,
        owner: null,
        pausedUntil: f.accountPause,
        pauseReason: null,
        autoPay: f.autoPay,
        policyId: null,
      };
      const invoice: Invoice = {
        id: 'i1',
        number: 'INV-1',
        accountId: account.id,
        contractId: null,
        optedOut: false,
        amount: f.amount,
        balance: f.balance,
        currency: f.currency,
        issuedOn:
          DateTime.fromISO(f.dueOn, { zone: 'utc' }).minus({ days: f.issuedBefore }).toISODate() ?? '',
        dueOn: f.dueOn,
        status: f.status,
        disputed: f.disputed,
        pausedUntil: f.invoicePause,
        source: 'test',
        externalId: null,
      };
      // The first contact shares its id with team member "ana": the dedupe key must still tell them apart.
      const contacts = f.contacts.map(
        (c, i): Contact => ({
          id: i === 0 ? 'ana' : `c${i}`,
          accountId: account.id,
          name: `Contact ${i}`,
          whatsapp: null,
          telegram: null,
          locale: null,
          ...c,
        }),
      );
      return { invoice, account, contacts };
    });
}

/** An instant near the invoice's schedule: from 15 days before its due date to 75 days after. */
function nearDue(facts: InvoiceFacts): fc.Arbitrary<Instant> {
  const due = Date.parse(`${facts.invoice.dueOn}T00:00:00Z`);
  return fc.integer({ min: -15 * 24 * 60, max: 75 * 24 * 60 }).map((m) => due + m * 60_000);
}

interface Scenario {
  config: DulyConfig;
  facts: InvoiceFacts;
  t1: Instant;
  t2: Instant;
}

/** Config, facts, and two instants t1 ≤ t2 near the due date. */
function scenario(owed: boolean): fc.Arbitrary<Scenario> {
  return fc
    .tuple(config, factsArbitrary(owed))
    .chain(([cfg, facts]) =>
      fc
        .tuple(nearDue(facts), fc.integer({ min: 0, max: 12 * 24 * 60 }))
        .map(([t1, later]) => ({ config: cfg, facts, t1, t2: t1 + later * 60_000 })),
    );
}

// ------------------------------------------------------------------------------------------- oracles

function envOf(config: DulyConfig): PlanEnv {
  const closed = new Set(config.holidays.dates);
  const calendar = {
    isBusinessDay: (d: string) =>
      config.businessDays.includes(DateTime.fromISO(d, { zone: 'utc' }).weekday as Weekday) && !closed.has(d),
  };
  return {
    config,
    addressKinds: ADDRESS_KINDS,
    window: createSendWindow(calendar, config.quietHours, config.sendTime),
  };
}

const planAt = (config: DulyConfig, facts: InvoiceFacts, now: Instant) =>
  planInvoice(config.policies, facts, now, envOf(config));

/** The zone a touch's recipient lives in, by the rule in DESIGN.md: contact, else account, else config. */
function recipientZone(touch: PlannedTouch, facts: InvoiceFacts, config: DulyConfig): string {
  if (touch.audience === 'client') {
    const c = facts.contacts.find((x) => x.id === touch.recipient);
    return c?.timezone ?? facts.account.timezone ?? config.timezone;
  }
  return config.team.find((m) => m.id === touch.recipient)?.timezone ?? config.timezone;
}

function isQuiet(minuteOfDay: number, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  return quiet.from < quiet.to
    ? quiet.from <= minuteOfDay && minuteOfDay < quiet.to
    : minuteOfDay >= quiet.from || minuteOfDay < quiet.to;
}

const recipientOf = (t: PlannedTouch) => `${t.audience}:${t.recipient}`;
const isCollectable = (f: InvoiceFacts) =>
  (f.invoice.status === 'open' || f.invoice.status === 'partial') &&
  f.invoice.balance > 0 &&
  !f.invoice.disputed;
const holdOf = (f: InvoiceFacts) => Math.max(f.account.pausedUntil ?? 0, f.invoice.pausedUntil ?? 0);
const byKey = (touches: PlannedTouch[]) => new Map(touches.map((t) => [t.dedupeKey, t]));
const keysOf = (touches: PlannedTouch[]) => touches.map((t) => t.dedupeKey).sort();

/** The policy the planner should pick (policy conditions here never depend on the day). */
function chosenPolicy(config: DulyConfig, facts: InvoiceFacts): Policy | undefined {
  return config.policies.find((p) => holds(p, facts));
}
function holds(p: Policy, f: InvoiceFacts): boolean {
  const c = p.when;
  if (!c) return true;
  if (c.status && !c.status.includes(f.invoice.status)) return false;
  if (
    c.balanceGte &&
    f.invoice.balance < (c.balanceGte.byCurrency[f.invoice.currency] ?? c.balanceGte.any ?? Infinity)
  )
    return false;
  if (c.tagsAny && !c.tagsAny.some((t) => f.account.tags.includes(t))) return false;
  return true;
}
const unheld = (f: InvoiceFacts): InvoiceFacts => ({
  ...f,
  account: { ...f.account, pausedUntil: null },
  invoice: { ...f.invoice, pausedUntil: null },
});

/** After every step of every generated invoice (due ≤ 2027-12-31, steps ≤ 120 days after). */
const END = Date.UTC(2028, 6, 1);

/**
 * Every touch the invoice will ever get, with nothing held: planned once, after the last step, with
 * catch-up `all` (so nothing is dropped as missed). Used as the reference timeline.
 */
function fullTimeline(config: DulyConfig, facts: InvoiceFacts, policy: Policy): PlannedTouch[] {
  const all = {
    ...config,
    policies: config.policies.map((p) => (p === policy ? { ...p, catchUp: 'all' as const } : p)),
  };
  const plan = planAt(all, unheld(facts), END);
  expect(plan.nextPlanAt).toBeNull();
  return plan.touches;
}

// ------------------------------------------------------------------------------------------ properties

describe('planInvoice (properties)', () => {
  it('(a) is idempotent, and no dedupe key ever stands for two different touches', () => {
    fc.assert(
      fc.property(scenario(true), ({ config, facts, t1, t2 }) => {
        const first = planAt(config, facts, t1);
        expect(planAt(config, facts, t1)).toEqual(first);
        const second = planAt(config, facts, t2);
        for (const plan of [first, second]) {
          expect(new Set(keysOf(plan.touches)).size).toBe(plan.touches.length);
        }
        const seen = byKey(first.touches);
        for (const touch of second.touches) {
          const earlier = seen.get(touch.dedupeKey);
          if (earlier) expect(touch).toEqual(earlier);
        }
      }),
      RUNS,
    );
  });

  it("(b) never plans a send inside quiet hours or on a closed day in the recipient's zone", () => {
    fc.assert(
      fc.property(scenario(true), ({ config, facts, t1 }) => {
        for (const touch of planAt(config, facts, t1).touches) {
          const local = DateTime.fromMillis(touch.dueAt, { zone: recipientZone(touch, facts, config) });
          const where = `${touch.dedupeKey} due ${local.toISO()}`;
          expect(config.businessDays, where).toContain(local.weekday);
          expect(config.holidays.dates, where).not.toContain(local.toISODate());
          expect(isQuiet(local.hour * 60 + local.minute, config.quietHours), where).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('(c) plans nothing for an invoice that is not owed: paid, void, written off, draft, disputed, no balance', () => {
    fc.assert(
      fc.property(
        scenario(false).filter((s) => !isCollectable(s.facts)),
        ({ config, facts, t1 }) => {
          expect(planAt(config, facts, t1)).toEqual({ touches: [], nextPlanAt: null });
        },
      ),
      RUNS,
    );
  });

  it('(d) a later plan never takes back a touch that is still to come, nor changes one', () => {
    fc.assert(
      fc.property(scenario(true), ({ config, facts, t1, t2 }) => {
        const later = byKey(planAt(config, facts, t2).touches);
        const policy = chosenPolicy(config, facts);
        for (const touch of planAt(config, facts, t1).touches) {
          const again = later.get(touch.dedupeKey);
          if (again) expect(again).toEqual(touch);
          // Still in the future at t2: every catch-up mode plans it again.
          const kept =
            touch.scheduledAt > t2 ||
            policy?.catchUp === 'all' ||
            (policy?.catchUp === 'none' && t2 - touch.scheduledAt <= NONE_CATCH_UP_GRACE_MS);
          if (kept) expect(again, `${touch.dedupeKey} planned at t1, gone at t2`).toEqual(touch);
        }
      }),
      RUNS,
    );
  });

  it('(e) never plans a touch before its scheduled time, and nextPlanAt lies in the future', () => {
    fc.assert(
      fc.property(scenario(true), ({ config, facts, t1 }) => {
        const plan = planAt(config, facts, t1);
        for (const touch of plan.touches) expect(touch.dueAt).toBeGreaterThanOrEqual(touch.scheduledAt);
        if (plan.nextPlanAt !== null) expect(plan.nextPlanAt).toBeGreaterThan(t1);
      }),
      RUNS,
    );
  });

  it('(f) plans every step within the plan-ahead window, and looks again in time for the next one', () => {
    fc.assert(
      fc.property(scenario(true), ({ config, facts, t1: now }) => {
        const plan = planAt(config, facts, now);
        const hold = holdOf(facts);
        if (hold > now) {
          expect(plan).toEqual({ touches: [], nextPlanAt: hold });
          return;
        }
        const policy = chosenPolicy(config, facts);
        if (!policy) {
          expect(plan).toEqual({ touches: [], nextPlanAt: null });
          return;
        }
        const ahead = config.dispatch.planAheadMs;
        const timeline = fullTimeline(config, facts, policy);
        const planned = byKey(plan.touches);
        // Every planned touch is on the timeline, unchanged.
        const onTimeline = byKey(timeline);
        for (const touch of plan.touches) expect(touch).toEqual(onTimeline.get(touch.dedupeKey));
        // Nothing within the window is left out, whatever the catch-up mode.
        const window = timeline.filter((t) => t.scheduledAt > now && t.scheduledAt <= now + ahead);
        for (const touch of window) expect(planned.get(touch.dedupeKey), touch.dedupeKey).toEqual(touch);
        // Past steps: all of them, the last one per recipient, or those missed by a day at most.
        const past = timeline.filter((t) => t.scheduledAt <= now);
        const pastPlanned = plan.touches.filter((t) => t.scheduledAt <= now);
        if (policy.catchUp === 'all') expect(keysOf(pastPlanned)).toEqual(keysOf(past));
        if (policy.catchUp === 'none') {
          const recent = past.filter((t) => now - t.scheduledAt <= NONE_CATCH_UP_GRACE_MS);
          expect(keysOf(pastPlanned)).toEqual(keysOf(recent));
        }
        if (policy.catchUp === 'latest') {
          for (const recipient of new Set(past.map(recipientOf))) {
            const mine = past.filter((t) => recipientOf(t) === recipient);
            const latest = Math.max(...mine.map((t) => t.scheduledAt));
            const chosen = pastPlanned.filter((t) => recipientOf(t) === recipient);
            expect(chosen.length, recipient).toBeGreaterThan(0);
            expect(new Set(chosen.map((t) => `${t.stepId}/${t.cycle}`)).size, recipient).toBe(1);
            expect(chosen[0]?.scheduledAt, `${recipient}: the most recent missed step`).toBe(latest);
          }
        }
        // Looks again no later than when the next step enters the window.
        const next = timeline.filter((t) => t.scheduledAt > now + ahead).map((t) => t.scheduledAt - ahead);
        expect(plan.nextPlanAt).toBe(next.length > 0 ? Math.min(...next) : null);
      }),
      RUNS,
    );
  });
});
