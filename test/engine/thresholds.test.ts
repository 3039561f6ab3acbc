import { afterEach, describe, expect, it } from 'vitest';
import { afterInvoicesChanged } from '../../src/engine/invoice-hooks.ts';
import { recordPayment } from '../../src/engine/record-payment.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { simulateTimeline } from '../../src/engine/simulate-timeline.ts';
import { verifyAudit } from '../../src/store/audit.ts';
import { openTestEngine, seedInvoice, type TestEngine, touchesOf } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';
import { messagesOf, setOwner, triggerTestConfig } from '../support/threshold-fixtures.ts';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const SANDBOX = '  email: { provider: sandbox, address: email }';
const BIG_BALANCE = `  - id: big-balance
    trigger: threshold
    threshold: { outstanding_gte: { USD: 5000 } }
    steps:
      - { id: alert, at: crossed, every: 7d, to: owner, via: [email], template: threshold-alert }`;
const LATE_ACCOUNT = `  - id: late-account
    trigger: threshold
    threshold: { oldest_overdue_days_gte: 30 }
    steps:
      - { id: alert, at: crossed, to: owner, via: [email], template: threshold-alert }`;

const tick = (engine: TestEngine, now: number) => {
  engine.setNow(now);
  return runTick(engine.ctx, { now, random: () => 0.5 });
};

/** What an import does after writing invoices: the hooks, in the importing transaction. */
async function importedBalances(engine: TestEngine, now: number, accountIds: string[]) {
  engine.setNow(now);
  const { ctx } = engine;
  await ctx.store.db
    .transaction()
    .execute((trx) =>
      afterInvoicesChanged(
        trx,
        { tenantId: ctx.tenantId, actor: 'import', now, config: ctx.config },
        { kind: 'imported', invoiceIds: [], accountIds },
      ),
    );
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`threshold alerts on ${dialect}`, () => {
    let engine: TestEngine;
    afterEach(() => engine.close());

    it('should alert the owner at once, repeat every 7 days while over, and stop when a payment clears it', async () => {
      const T0 = at('2026-03-20T15:00:00Z');
      engine = await openTestEngine(dialect, triggerTestConfig(SANDBOX, BIG_BALANCE), T0);
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16', amount: 300_000 });
      await seedInvoice(engine.ctx, { number: 'INV-2', dueOn: '2026-04-16', amount: 300_000 });
      await setOwner(engine.ctx, 'acme', 'olga');
      await importedBalances(engine, T0, ['acme']);

      expect(await tick(engine, T0)).toMatchObject({ planned: 1, sent: 1 });
      const [first] = await messagesOf(engine.ctx, 'sandbox');
      expect(first?.recipient_address).toBe('olga@example.com');
      expect(first?.subject).toBe('Account acme is over its limit: $6,000.00 outstanding');
      expect(first?.text).toContain('INV-1');

      // Repeats while the account stays over: nothing before day 7, then once.
      expect(await tick(engine, T0 + 7 * DAY - 61 * 60_000)).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, T0 + 7 * DAY)).toMatchObject({ planned: 1, sent: 1 });
      expect(await tick(engine, T0 + 7 * DAY + 60_000)).toMatchObject({ planned: 0, sent: 0 });

      // The third alert is planned (due in 30 minutes) when a payment brings the balance under the line.
      expect(await tick(engine, T0 + 14 * DAY - 30 * 60_000)).toMatchObject({ planned: 1, sent: 0 });
      engine.setNow(T0 + 14 * DAY - 20 * 60_000);
      await recordPayment({ ctx: engine.ctx, input: { invoiceNumber: 'INV-1' } });
      expect(await tick(engine, T0 + 14 * DAY)).toMatchObject({ sent: 0 });
      expect(await tick(engine, T0 + 21 * DAY)).toMatchObject({ planned: 0, sent: 0 });

      const touches = await touchesOf(engine.ctx);
      expect(
        touches.map((t) => [t.subject_kind, t.subject_id, t.cycle, t.recipient, t.state, t.reason]),
      ).toEqual([
        ['account', 'acme', 0, 'olga', 'sent', null],
        ['account', 'acme', 1, 'olga', 'sent', null],
        [
          'account',
          'acme',
          2,
          'olga',
          'cancelled',
          'threshold cleared: 3000.00 USD outstanding, oldest 0 days overdue',
        ],
      ]);
      expect(await engine.ctx.store.db.selectFrom('alert_states').selectAll().execute()).toEqual([]);
      expect(await verifyAudit(engine.ctx.store.db, engine.ctx.tenantId)).toMatchObject({ ok: true });
    });

    it('should start a new episode when the account crosses again after clearing', async () => {
      const T0 = at('2026-03-20T15:00:00Z');
      engine = await openTestEngine(dialect, triggerTestConfig(SANDBOX, BIG_BALANCE), T0);
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16', amount: 600_000 });
      await setOwner(engine.ctx, 'acme', 'olga');
      await importedBalances(engine, T0, ['acme']);
      await tick(engine, T0);
      engine.setNow(T0 + DAY);
      await recordPayment({ ctx: engine.ctx, input: { invoiceNumber: 'INV-1' } });
      await seedInvoice(engine.ctx, { number: 'INV-3', dueOn: '2026-04-30', amount: 700_000 });
      await importedBalances(engine, T0 + 2 * DAY, ['acme']);
      expect(await tick(engine, T0 + 2 * DAY)).toMatchObject({ planned: 1, sent: 1 });
      const keys = (await touchesOf(engine.ctx)).map((t) => t.dedupe_key);
      expect(keys).toEqual([
        `big-balance/alert/0/acme@${T0}/team:olga/email`,
        `big-balance/alert/0/acme@${T0 + 2 * DAY}/team:olga/email`,
      ]);
    });

    it('should notice by the daily look that the oldest invoice became 30 days overdue, with no change to any invoice', async () => {
      const T0 = at('2026-03-20T15:00:00Z');
      engine = await openTestEngine(dialect, triggerTestConfig(SANDBOX, LATE_ACCOUNT), T0);
      await seedInvoice(engine.ctx, { number: 'OLD-1', dueOn: '2026-02-20', amount: 10_000 });
      await seedInvoice(engine.ctx, {
        number: 'NEW-1',
        dueOn: '2026-03-30',
        account: 'fresh',
        amount: 10_000,
      });
      await setOwner(engine.ctx, 'acme', 'olga');
      // 2026-03-21 in New York: 29 days overdue.
      expect(await tick(engine, at('2026-03-21T15:00:00Z'))).toMatchObject({ planned: 0 });
      // 23:59 New York time the same day: still 29 days; the day's look already ran.
      expect(await tick(engine, at('2026-03-22T03:59:00Z'))).toMatchObject({ planned: 0 });
      // Just after midnight in New York: 30 days. The alert goes out at once (no quiet hours here).
      expect(await tick(engine, at('2026-03-22T04:01:00Z'))).toMatchObject({ planned: 1, sent: 1 });
      const [message] = await messagesOf(engine.ctx, 'sandbox');
      expect(message?.text).toContain('30 days past due');
      const states = await engine.ctx.store.db.selectFrom('alert_states').selectAll().execute();
      expect(states.map((s) => [s.policy_id, s.account_id, Number(s.since)])).toEqual([
        ['late-account', 'acme', at('2026-03-22T04:01:00Z')],
      ]);
    });

    it('should cancel at send time an alert whose account cleared behind the outbox', async () => {
      const T0 = at('2026-03-20T15:00:00Z');
      engine = await openTestEngine(dialect, triggerTestConfig(SANDBOX, BIG_BALANCE), T0);
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16', amount: 600_000 });
      await setOwner(engine.ctx, 'acme', 'olga');
      await importedBalances(engine, T0, ['acme']);
      expect(await tick(engine, T0)).toMatchObject({ sent: 1 });
      // The first repeat is planned an hour ahead; the invoice is voided behind the outbox meanwhile.
      expect(await tick(engine, T0 + 7 * DAY - 30 * 60_000)).toMatchObject({ planned: 1 });
      await engine.ctx.store.db.updateTable('invoices').set({ status: 'void' }).execute();
      expect(await tick(engine, T0 + 7 * DAY)).toMatchObject({ sent: 0, cancelled: 1 });
      expect((await touchesOf(engine.ctx))[1]).toMatchObject({
        state: 'cancelled',
        reason: 'threshold cleared: nothing outstanding',
      });
    });

    it('should show the repeats in duly simulate while the account stays over', async () => {
      const T0 = at('2026-03-20T15:00:00Z');
      engine = await openTestEngine(dialect, triggerTestConfig(SANDBOX, BIG_BALANCE), T0);
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16', amount: 600_000 });
      await setOwner(engine.ctx, 'acme', 'olga');
      await importedBalances(engine, T0, ['acme']);
      await tick(engine, T0);
      const timeline = await simulateTimeline({ ctx: engine.ctx, input: { from: T0, to: T0 + 20 * DAY } });
      const alerts = timeline.filter((e) => e.trigger === 'threshold');
      expect(alerts.map((e) => [new Date(e.at).toISOString(), e.policy, e.step, e.recipient])).toEqual([
        ['2026-03-27T15:00:00.000Z', 'big-balance', 'alert', 'olga'],
        ['2026-04-03T15:00:00.000Z', 'big-balance', 'alert', 'olga'],
      ]);
    });
  });
}
