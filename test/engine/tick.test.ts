import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDueInvoices } from '../../src/engine/plan-due-invoices.ts';
import { recordPayment } from '../../src/engine/record-payment.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { verifyAudit } from '../../src/store/audit.ts';
import {
  defaultTestConfig,
  openTestEngine,
  sandboxMessages,
  seedInvoice,
  type TestEngine,
  touchesOf,
} from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';

const at = (iso: string) => Date.parse(iso);
// Due Monday 2026-03-16 in New York; 09:00 there is 13:00Z after the DST change of 03-08.
const DUE = '2026-03-16';
const tick = (engine: TestEngine, iso: string) => {
  engine.setNow(at(iso));
  return runTick(engine.ctx, { now: at(iso), random: () => 0.5 });
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`tick on ${dialect}`, () => {
    let engine: TestEngine;
    beforeEach(async () => {
      engine = await openTestEngine(dialect, defaultTestConfig(), at('2026-03-10T00:00:00Z'));
    });
    afterEach(() => engine.close());

    it('should send the 3-days-before reminder at 09:00 local, once, however often it ticks', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: DUE });
      // Planned up to an hour ahead (plan_ahead: 1h), sent at its minute.
      expect(await tick(engine, '2026-03-13T11:59:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, '2026-03-13T12:59:00Z')).toMatchObject({ planned: 1, sent: 0 });
      expect(await tick(engine, '2026-03-13T13:00:00Z')).toMatchObject({ planned: 0, sent: 1, failed: 0 });
      expect(await tick(engine, '2026-03-13T13:00:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, '2026-03-13T13:05:00Z')).toMatchObject({ planned: 0, sent: 0 });
      const touches = await touchesOf(engine.ctx);
      expect(touches.map((t) => [t.step_id, t.state])).toEqual([['upcoming', 'sent']]);
      const messages = await sandboxMessages(engine.ctx);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.recipient_address).toBe('billing@acme.example');
      expect(messages[0]?.text).toContain('INV-1');
      expect(messages[0]?.text).toContain('$1,200.00');
      expect(await verifyAudit(engine.ctx.store.db, engine.ctx.tenantId)).toMatchObject({ ok: true });
    });

    it('should not send when a payment lands between planning and sending', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-2', dueOn: DUE });
      engine.setNow(at('2026-03-19T13:00:00Z'));
      expect(await planDueInvoices(engine.ctx, at('2026-03-19T13:00:00Z'))).toMatchObject({ planned: 1 });
      await recordPayment({ ctx: engine.ctx, input: { invoiceNumber: 'INV-2' } });
      const counts = await tick(engine, '2026-03-19T13:00:01Z');
      expect(counts).toMatchObject({ sent: 0 });
      expect((await touchesOf(engine.ctx)).map((t) => [t.step_id, t.state, t.reason])).toEqual([
        ['overdue-1', 'cancelled', 'invoice paid'],
      ]);
      expect(await sandboxMessages(engine.ctx)).toEqual([]);
    });

    it('should cancel at send time when the invoice was paid behind the outbox', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-3', dueOn: DUE });
      await planDueInvoices(engine.ctx, at('2026-03-19T13:00:00Z'));
      await engine.ctx.store.db.updateTable('invoices').set({ status: 'void' }).execute();
      expect(await tick(engine, '2026-03-19T13:00:01Z')).toMatchObject({ sent: 0, cancelled: 1 });
      expect((await touchesOf(engine.ctx))[0]).toMatchObject({ state: 'cancelled', reason: 'invoice void' });
    });

    it('should keep the schedule after a partial payment and quote the new balance', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-4', dueOn: DUE });
      await tick(engine, '2026-03-19T13:00:00Z');
      engine.setNow(at('2026-03-20T10:00:00Z'));
      const paid = await recordPayment({
        ctx: engine.ctx,
        input: { invoiceNumber: 'INV-4', amount: '200.00' },
      });
      expect(paid).toMatchObject({ status: 'partial', balance: '1000.00', cancelledTouches: 0 });
      expect(await tick(engine, '2026-03-23T13:00:00Z')).toMatchObject({ sent: 1 });
      const messages = await sandboxMessages(engine.ctx);
      expect(messages).toHaveLength(2);
      expect(messages[1]?.text).toContain('$1,000.00');
    });

    it('should send only the most recent missed step after a 10-day outage', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-5', dueOn: DUE, phone: '+15550100' });
      await tick(engine, '2026-03-12T13:00:00Z');
      const counts = await tick(engine, '2026-03-24T13:00:00Z');
      expect(counts).toMatchObject({ planned: 2, sent: 2 });
      expect((await touchesOf(engine.ctx)).map((t) => [t.step_id, t.channel])).toEqual([
        ['overdue-2', 'email'],
        ['overdue-2', 'sms'],
      ]);
    });

    it('should send only the latest of the touches planned before an outage', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-9', dueOn: DUE });
      // Planned just before the outage: the missed 3-days-before reminder and, an hour ahead, the due-date one.
      expect(await planDueInvoices(engine.ctx, at('2026-03-16T12:30:00Z'))).toMatchObject({ planned: 2 });
      // Back 4 days later: overdue-1 (19th) is due as well; only it goes out.
      const counts = await tick(engine, '2026-03-20T15:00:00Z');
      expect(counts).toMatchObject({ planned: 1, sent: 1, skipped: 2 });
      const superseded = 'superseded by a later step that is also due (catch-up: latest)';
      expect((await touchesOf(engine.ctx)).map((t) => [t.step_id, t.state, t.reason])).toEqual([
        ['upcoming', 'skipped', superseded],
        ['due-today', 'skipped', superseded],
        ['overdue-1', 'sent', null],
      ]);
    });

    it('should defer a catch-up send that falls in quiet hours to when they end', async () => {
      await engine.close();
      engine = await openTestEngine(
        dialect,
        defaultTestConfig({ quietHours: { from: 21 * 60, to: 8 * 60 } }),
        at('2026-03-10T00:00:00Z'),
      );
      await seedInvoice(engine.ctx, { number: 'INV-10', dueOn: DUE });
      // 23:30 in New York on the 19th: overdue-1 is due but it is night there.
      expect(await tick(engine, '2026-03-20T03:30:00Z')).toMatchObject({ planned: 1, sent: 0, deferred: 1 });
      const [deferred] = await touchesOf(engine.ctx);
      expect(deferred).toMatchObject({
        state: 'deferred',
        next_attempt_at: at('2026-03-20T12:00:00Z'),
        attempts: 0,
      });
      expect(deferred?.reason).toBe('outside sending hours in America/New_York');
      expect(await tick(engine, '2026-03-20T11:59:00Z')).toMatchObject({ sent: 0 });
      expect(await tick(engine, '2026-03-20T12:00:00Z')).toMatchObject({ sent: 1 });
    });

    it('should send one statement when several invoices of an account fall due together', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-6', dueOn: DUE });
      await seedInvoice(engine.ctx, { number: 'INV-7', dueOn: DUE, amount: 30_000 });
      expect(await tick(engine, '2026-03-19T13:00:00Z')).toMatchObject({ planned: 2, sent: 2 });
      const messages = await sandboxMessages(engine.ctx);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.text).toContain('INV-6');
      expect(messages[0]?.text).toContain('INV-7');
      expect(messages[0]?.text).toContain('$1,500.00');
      const touches = await touchesOf(engine.ctx);
      expect(
        touches.every((t) => t.state === 'sent' && t.provider_message_id === touches[0]?.provider_message_id),
      ).toBe(true);
    });

    it('should store every message of a batch written in several chunks, each with its touch sent', async () => {
      // 150 accounts with one invoice each: 150 messages in one claimed batch, written 64 at a time.
      for (let i = 0; i < 150; i += 1) {
        await seedInvoice(engine.ctx, { number: `INV-C${i}`, account: `client-${i}`, dueOn: DUE });
      }
      await seedInvoice(engine.ctx, { number: 'INV-VOID', account: 'client-void', dueOn: DUE });
      await planDueInvoices(engine.ctx, at('2026-03-19T13:00:00Z'));
      // Voided behind the outbox: the guard's verdict is written before the batch's messages.
      await engine.ctx.store.db
        .updateTable('invoices')
        .set({ status: 'void' })
        .where('number', '=', 'INV-VOID')
        .execute();
      expect(await tick(engine, '2026-03-19T13:00:00Z')).toMatchObject({ sent: 150, cancelled: 1 });
      const messages = await sandboxMessages(engine.ctx);
      expect(new Set(messages.map((m) => m.recipient_address)).size).toBe(150);
      const touches = await touchesOf(engine.ctx);
      const sent = touches.filter((t) => t.state === 'sent');
      expect(sent).toHaveLength(150);
      expect(new Set(sent.map((t) => t.provider_message_id)).size).toBe(150);
      expect(await verifyAudit(engine.ctx.store.db, engine.ctx.tenantId)).toMatchObject({ ok: true });
    });

    it('should take up a send left behind by a crash once its lease has expired', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-8', dueOn: DUE });
      await planDueInvoices(engine.ctx, at('2026-03-19T13:00:00Z'));
      // A worker claimed it and died: `sending`, lease until 13:05.
      await engine.ctx.store.db
        .updateTable('touches')
        .set({ state: 'sending', attempts: 1, lease_until: at('2026-03-19T13:05:00Z') })
        .execute();
      expect(await tick(engine, '2026-03-19T13:04:00Z')).toMatchObject({ sent: 0 });
      expect(await tick(engine, '2026-03-19T13:05:00Z')).toMatchObject({ sent: 1 });
      expect((await touchesOf(engine.ctx))[0]).toMatchObject({ state: 'sent', attempts: 2 });
    });
  });
}
