import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pauseReminders, resumeReminders } from '../../src/engine/holds.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { sendStepNow } from '../../src/engine/send-step-now.ts';
import { exportAudit } from '../../src/store/audit-export.ts';
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
const DUE = '2026-03-16';

async function auditKinds(engine: TestEngine): Promise<{ kind: string; actor: string; data: unknown }[]> {
  let text = '';
  await exportAudit(engine.ctx.store.db, engine.ctx.tenantId, 'jsonl', (chunk) => {
    text += chunk;
  });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`manual sends and holds on ${dialect}`, () => {
    let engine: TestEngine;
    beforeEach(async () => {
      engine = await openTestEngine(dialect, defaultTestConfig(), at('2026-03-05T15:00:00Z'));
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: DUE });
    });
    afterEach(() => engine.close());

    it('should send a step by hand now, outside the schedule, and record who asked', async () => {
      const ctx = { ...engine.ctx, actor: 'cli:ana' };
      const result = await sendStepNow({ ctx, input: { invoiceNumber: 'INV-1', stepId: 'final-notice' } });
      expect(result).toMatchObject({ requested: 1, counts: { sent: 1 } });
      const [touch] = await touchesOf(engine.ctx);
      expect(touch).toMatchObject({ step_id: 'final-notice', state: 'sent', cycle: -1 });
      expect((await sandboxMessages(engine.ctx))[0]?.text).toContain('INV-1');
      const entries = await auditKinds(engine);
      expect(entries.find((e) => e.kind === 'step.sent_by_hand')).toMatchObject({
        actor: 'cli:ana',
        data: { policies: ['standard-dunning'], step: 'final-notice', invoices: 1, touches: 1 },
      });
    });

    it('should send a step by hand for every open invoice of an account, as one statement', async () => {
      await seedInvoice(engine.ctx, { number: 'INV-2', dueOn: '2026-03-20' });
      const ctx = { ...engine.ctx, actor: 'api:ops' };
      const result = await sendStepNow({ ctx, input: { accountId: 'acme', stepId: 'overdue-1' } });
      expect(result).toMatchObject({ requested: 2, counts: { sent: 2 } });
      const messages = await sandboxMessages(engine.ctx);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.text).toContain('INV-1');
      expect(messages[0]?.text).toContain('INV-2');
      const entries = await auditKinds(engine);
      expect(entries.find((e) => e.kind === 'step.sent_by_hand')).toMatchObject({
        actor: 'api:ops',
        data: { step: 'overdue-1', invoices: 2, touches: 2 },
      });
      await expect(
        sendStepNow({ ctx, input: { accountId: 'nobody', stepId: 'overdue-1' } }),
      ).rejects.toMatchObject({ code: 'not_found', message: 'no account with id "nobody"' });
      await expect(
        sendStepNow({ ctx, input: { accountId: 'acme', invoiceNumber: 'INV-1', stepId: 'overdue-1' } }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('should bypass the step condition but never an opt-out', async () => {
      // The escalation step wants a balance of 5000 USD; this invoice owes 1200.
      const escalated = await sendStepNow({
        ctx: engine.ctx,
        input: { invoiceNumber: 'INV-1', stepId: 'escalation' },
      });
      expect(escalated.counts).toMatchObject({ sent: 1 });
      await engine.ctx.store.db.updateTable('contacts').set({ opt_outs: '["email"]' }).execute();
      const refused = await sendStepNow({
        ctx: engine.ctx,
        input: { invoiceNumber: 'INV-1', stepId: 'overdue-1' },
      });
      expect(refused.counts).toMatchObject({ sent: 0, skipped: 1 });
      expect((await touchesOf(engine.ctx)).at(-1)).toMatchObject({
        state: 'skipped',
        reason: 'contact opted out of email',
      });
    });

    it('should say which steps exist when the step is unknown', async () => {
      await expect(
        sendStepNow({ ctx: engine.ctx, input: { invoiceNumber: 'INV-1', stepId: 'overdue-9' } }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        place: { field: 'step' },
        message: expect.stringContaining('upcoming, due-today, overdue-1'),
      });
      await expect(
        sendStepNow({ ctx: engine.ctx, input: { invoiceNumber: 'NOPE', stepId: 'overdue-1' } }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('should hold an account until a date, then send the latest step due', async () => {
      engine.setNow(at('2026-03-12T15:00:00Z'));
      await pauseReminders({
        ctx: engine.ctx,
        input: { target: 'acme', until: at('2026-03-21T00:00:00Z'), reason: 'talking to their accountant' },
      });
      // The 3-days-before, due-date and 3-days-late reminders all fall inside the hold.
      for (const now of ['2026-03-13T13:00:00Z', '2026-03-16T13:00:00Z', '2026-03-19T13:00:00Z']) {
        expect(await runTick(engine.ctx, { now: at(now) })).toMatchObject({ sent: 0 });
      }
      // The hold ends on the 21st: the latest missed step (overdue-1) goes out, once.
      const after = await runTick(engine.ctx, { now: at('2026-03-21T13:00:00Z') });
      expect(after).toMatchObject({ sent: 1 });
      expect((await touchesOf(engine.ctx)).filter((t) => t.state === 'sent').map((t) => t.step_id)).toEqual([
        'overdue-1',
      ]);
      const entries = await auditKinds(engine);
      expect(entries.find((e) => e.kind === 'hold.placed')).toMatchObject({
        data: { reason: 'talking to their accountant' },
      });
    });

    it('should skip what was already planned when a hold is placed, and lift it on resume', async () => {
      // Planned an hour ahead, then held before it goes out.
      await runTick(engine.ctx, { now: at('2026-03-13T12:30:00Z') });
      engine.setNow(at('2026-03-13T12:45:00Z'));
      await pauseReminders({
        ctx: engine.ctx,
        input: {
          target: 'INV-1',
          invoice: true,
          until: at('2026-04-01T00:00:00Z'),
          reason: 'disputed line item',
        },
      });
      expect(await runTick(engine.ctx, { now: at('2026-03-13T13:00:00Z') })).toMatchObject({
        sent: 0,
        skipped: 1,
      });
      expect((await touchesOf(engine.ctx))[0]?.reason).toBe('invoice paused until 2026-04-01T00:00:00.000Z');
      engine.setNow(at('2026-03-16T12:00:00Z'));
      await resumeReminders({ ctx: engine.ctx, input: { target: 'INV-1', invoice: true } });
      expect(await runTick(engine.ctx, { now: at('2026-03-16T13:00:00Z') })).toMatchObject({ sent: 1 });
    });

    it('should refuse a hold without a reason or in the past', async () => {
      await expect(
        pauseReminders({
          ctx: engine.ctx,
          input: { target: 'acme', until: at('2026-04-01T00:00:00Z'), reason: ' ' },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input', place: { field: 'reason' } });
      await expect(
        pauseReminders({
          ctx: engine.ctx,
          input: { target: 'acme', until: at('2026-03-01T00:00:00Z'), reason: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input', place: { field: 'until' } });
      await expect(
        pauseReminders({
          ctx: engine.ctx,
          input: { target: 'nobody', until: at('2026-04-01T00:00:00Z'), reason: 'x' },
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
