import { afterEach, describe, expect, it } from 'vitest';
import { loadAging } from '../../src/engine/reports/aging-query.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { simulateTimeline } from '../../src/engine/simulate-timeline.ts';
import { openTestEngine, seedInvoice, type TestEngine } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';
import { messagesOf, triggerTestConfig } from '../support/threshold-fixtures.ts';

// Monday 2026-03-16, 08:00 in New York (EDT since 03-08) is 12:00Z.
const RUN = Date.parse('2026-03-16T12:00:00Z');
const CHANNELS = `  email: { provider: sandbox, address: email }
  team: { provider: in_app }`;
const WEEKLY = `  - id: weekly-summary
    trigger: summary
    schedule: { every: week, on: mon, time: "08:00" }
    steps:
      - { id: send, at: period, to: role:manager, via: [email, team], deliver: all, template: summary }`;

/** A mixed book on 2026-03-16: two currencies, every bucket, and invoices that must not count. */
async function seedBook(engine: TestEngine) {
  const book: [string, string, string, number, string][] = [
    ['acme', 'U-CUR', '2026-03-16', 10_000, 'USD'], // due today: current
    ['acme', 'U-15', '2026-03-01', 20_000, 'USD'], // 15 days: 1-30
    ['beta', 'U-30', '2026-02-14', 5_000, 'USD'], // 30 days: 1-30
    ['beta', 'U-65', '2026-01-10', 30_000, 'USD'], // 65 days: 61-90
    ['gamma', 'E-34', '2026-02-10', 7_000, 'EUR'], // 34 days: 31-60
    ['gamma', 'E-105', '2025-12-01', 5_000, 'EUR'], // 105 days: 90+
  ];
  for (const [account, number, dueOn, amount, currency] of book) {
    await seedInvoice(engine.ctx, { account, number, dueOn, amount, currency });
  }
  await seedInvoice(engine.ctx, { account: 'acme', number: 'PAID', dueOn: '2026-01-01', amount: 99_900 });
  await engine.ctx.store.db
    .updateTable('invoices')
    .set({ status: 'paid', balance: 0 })
    .where('number', '=', 'PAID')
    .execute();
}

const tick = (engine: TestEngine, now: number) => {
  engine.setNow(now);
  return runTick(engine.ctx, { now, random: () => 0.5 });
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`summary reports on ${dialect}`, () => {
    let engine: TestEngine;
    afterEach(() => engine.close());

    it('should sum the book by currency and aging bucket, and rank the largest overdue accounts', async () => {
      engine = await openTestEngine(dialect, triggerTestConfig(CHANNELS, WEEKLY), RUN);
      await seedBook(engine);
      const aging = await loadAging(engine.ctx.store.db, engine.ctx.tenantId, '2026-03-16');
      expect(aging.currencies).toEqual([
        {
          currency: 'EUR',
          buckets: { current: 0, '1-30': 0, '31-60': 7_000, '61-90': 0, '90+': 5_000 },
          total: 12_000,
        },
        {
          currency: 'USD',
          buckets: { current: 10_000, '1-30': 25_000, '31-60': 0, '61-90': 30_000, '90+': 0 },
          total: 65_000,
        },
      ]);
      expect(aging.top.map((a) => [a.name, a.currency, a.overdue, a.oldestDueOn])).toEqual([
        ['Account beta', 'USD', 35_000, '2026-01-10'],
        ['Account acme', 'USD', 20_000, '2026-03-01'],
        ['Account gamma', 'EUR', 12_000, '2025-12-01'],
      ]);
    });

    it('should send the weekly summary at 08:00 team time: an HTML table by email, a text table in chat', async () => {
      engine = await openTestEngine(dialect, triggerTestConfig(CHANNELS, WEEKLY), RUN);
      await seedBook(engine);
      expect(await tick(engine, RUN - 61 * 60_000)).toMatchObject({ planned: 0 });
      expect(await tick(engine, RUN - 30 * 60_000)).toMatchObject({ planned: 2, sent: 0 });
      expect(await tick(engine, RUN)).toMatchObject({ sent: 2 });
      expect(await tick(engine, RUN + 60_000)).toMatchObject({ planned: 0, sent: 0 });

      const [email] = await messagesOf(engine.ctx, 'sandbox');
      expect(email?.recipient_address).toBe('max@example.com');
      expect(email?.subject).toBe('Unpaid invoices on Mar 16, 2026: €120.00 + $650.00');
      expect(email?.html).toMatch(
        /<table[^>]*><tr><th[^>]*>Days past due<\/th><th[^>]*>EUR<\/th><th[^>]*>USD<\/th><\/tr>/,
      );
      expect(email?.html).toContain(
        '<td align="left" style="padding:6px 10px;border-bottom:1px solid #e5e7eb;">61-90</td><td align="right" style="padding:6px 10px;border-bottom:1px solid #e5e7eb;">€0.00</td><td align="right" style="padding:6px 10px;border-bottom:1px solid #e5e7eb;">$300.00</td>',
      );
      expect(email?.html).toContain('>Account beta</td>');
      expect(email?.html).not.toContain('-------');

      const [chat] = await messagesOf(engine.ctx, 'in_app');
      expect(chat?.text).toContain(
        [
          'Days past due      EUR      USD',
          '-------------  -------  -------',
          'current          €0.00  $100.00',
          '1-30             €0.00  $250.00',
          '31-60           €70.00    $0.00',
          '61-90            €0.00  $300.00',
          '90+             €50.00    $0.00',
          'Total          €120.00  $650.00',
        ].join('\n'),
      );
      expect(chat?.text).toContain(
        'Account beta   $350.00             65\nAccount acme   $200.00             15\nAccount gamma  €120.00            105',
      );
    });

    it('should list every weekly run in duly simulate', async () => {
      engine = await openTestEngine(dialect, triggerTestConfig(CHANNELS, WEEKLY), RUN);
      const timeline = await simulateTimeline({
        ctx: engine.ctx,
        input: { from: Date.parse('2026-03-01T00:00:00Z'), to: Date.parse('2026-03-17T00:00:00Z') },
      });
      expect(
        timeline
          .filter((e) => e.trigger === 'summary' && e.channel === 'team')
          .map((e) => [new Date(e.at).toISOString(), e.subject]),
      ).toEqual([
        ['2026-03-02T13:00:00.000Z', 'weekly-summary:2026-03-02'],
        ['2026-03-09T12:00:00.000Z', 'weekly-summary:2026-03-09'],
        ['2026-03-16T12:00:00.000Z', 'weekly-summary:2026-03-16'],
      ]);
    });
  });
}
