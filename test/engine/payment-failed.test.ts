import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load-config.ts';
import type { DulyConfig } from '../../src/domain/config.ts';
import { ingestEvent } from '../../src/engine/ingest-event.ts';
import { closeTask, listTasks } from '../../src/engine/payments/tasks.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { openTestEngine, seedInvoice, type TestEngine, touchesOf } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';

const at = (iso: string) => Date.parse(iso);
const FAILED = at('2026-03-10T14:00:00Z');

const CONFIG = `
timezone: America/New_York
locale: en-US
currency: USD
send_time: "09:00"
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: https://billing.example.com
channels:
  email: { provider: sandbox, address: email }
  team: { provider: in_app }
team:
  - { id: bob, name: Bob Ray, email: bob@example.com, roles: [sales] }
  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [collections] }
policies:
  - id: failed-payment
    trigger: payment_failed
    task: { due_in: 2d }
    steps:
      - { id: team-alert, at: failed, to: owner, via: [team, email], deliver: all, template: payment-failed-team }
      - { id: client-notice, at: failed+15m, to: client, via: [email], template: payment-failed-client }
      - { id: recovered, at: recovered, to: owner, via: [team, email], deliver: all, template: payment-recovered }
`;

export function paymentTestConfig(): DulyConfig {
  return parseConfigText(CONFIG, 'payment-test.yaml', { env: {} });
}

const failedEvent = (id = 'evt-1', extra: Record<string, unknown> = {}) => ({
  id,
  type: 'payment.failed',
  source: 'stripe',
  data: { invoice_number: 'INV-1', amount: '1200.00', reason: 'card declined', payment_id: 'ch_1', ...extra },
});

async function messages(engine: TestEngine) {
  return engine.ctx.store.db.selectFrom('local_messages').selectAll().orderBy('id').execute();
}

async function counts(engine: TestEngine) {
  const db = engine.ctx.store.db;
  const n = async (table: 'payments' | 'tasks' | 'touches' | 'local_messages' | 'events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    payments: await n('payments'),
    tasks: await n('tasks'),
    touches: await n('touches'),
    messages: await n('local_messages'),
    events: await n('events'),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`failed payments on ${dialect}`, () => {
    let engine: TestEngine;
    let app: FastifyInstance;
    beforeEach(async () => {
      engine = await openTestEngine(dialect, paymentTestConfig(), FAILED);
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-01', amount: 120_000 });
      app = createServer({ ctx: engine.ctx, metrics: createMetrics(), apiKey: null });
    });
    afterEach(async () => {
      await app.close();
      await engine.close();
    });

    it('should alert the team at once, open a task, and send the client a pay link 15 minutes later', async () => {
      const result = await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      expect(result).toMatchObject({ accepted: true, duplicate: false });
      expect(result.effect).toContain('task');

      const sent = await messages(engine);
      expect(sent.map((m) => [m.kind, m.channel, m.recipient_address])).toEqual(
        expect.arrayContaining([
          ['in_app', 'team', '*'],
          ['sandbox', 'email', 'ana@example.com'],
          ['sandbox', 'email', 'bob@example.com'],
        ]),
      );
      // The account has no owner: the whole team hears; the task goes to the collector.
      expect(sent).toHaveLength(3);
      expect(sent[0]?.subject).toBe('Payment failed: Account acme, invoice INV-1');
      expect(sent[0]?.text).toContain('card declined');
      expect(sent[0]?.text).toContain('https://billing.example.com/invoices/INV-1');

      const [task] = await listTasks({ ctx: engine.ctx, input: { state: 'open' } });
      expect(task).toMatchObject({
        kind: 'payment_failed',
        owner: 'ana',
        due_on: '2026-03-12',
        invoice: 'INV-1',
        invoice_url: 'https://billing.example.com/invoices/INV-1',
        state: 'open',
      });

      const client = (await touchesOf(engine.ctx)).find((t) => t.audience === 'client');
      expect(client).toMatchObject({ step_id: 'client-notice', state: 'planned', subject_kind: 'payment' });
      expect(Number(client?.due_at)).toBe(FAILED + 15 * 60_000);

      // Nothing for the client before its time.
      engine.setNow(FAILED + 14 * 60_000);
      await runTick(engine.ctx, { now: FAILED + 14 * 60_000 });
      expect(await messages(engine)).toHaveLength(3);

      engine.setNow(FAILED + 15 * 60_000);
      const tick = await runTick(engine.ctx, { now: FAILED + 15 * 60_000 });
      expect(tick.sent).toBe(1);
      const notice = (await messages(engine))[3];
      expect(notice?.recipient_address).toBe('billing@acme.example');
      expect(notice?.subject).toBe('Your payment for invoice INV-1 did not go through');
      const link = /https:\/\/billing\.example\.com(\/pay\/\S+)/.exec(notice?.text ?? '')?.[1];
      expect(link).toBeDefined();

      const page = await app.inject({ method: 'GET', url: link as string });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Invoice INV-1');
      expect(page.body).toContain('$1,200.00');
      expect(page.body).toContain('Mar 1, 2026');
      const forged = await app.inject({ method: 'GET', url: `${link}x` });
      expect(forged.statusCode).toBe(403);
    });

    it('should cancel the client notice, close the task and tell the team when a retry succeeds within the second', async () => {
      await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      engine.setNow(FAILED + 400);
      const paid = await ingestEvent({
        ctx: engine.ctx,
        input: {
          id: 'evt-2',
          type: 'payment.succeeded',
          source: 'stripe',
          data: { invoice_number: 'INV-1' },
        },
      });
      expect(paid.effect).toContain('invoice paid');

      const touches = await touchesOf(engine.ctx);
      expect(touches.find((t) => t.step_id === 'client-notice')).toMatchObject({
        state: 'cancelled',
        reason: 'payment recovered',
      });
      expect(touches.filter((t) => t.step_id === 'recovered').map((t) => t.state)).toEqual([
        'sent',
        'sent',
        'sent',
      ]);
      const recovered = (await messages(engine)).filter((m) => m.subject.startsWith('Recovered'));
      expect(recovered.map((m) => m.channel).sort()).toEqual(['email', 'email', 'team']);
      expect(recovered[0]?.text).toContain('then went through');

      const [task] = await listTasks({ ctx: engine.ctx, input: { state: 'all' } });
      expect(task).toMatchObject({ state: 'done', closed_reason: 'payment recovered' });

      engine.setNow(FAILED + 15 * 60_000);
      await runTick(engine.ctx, { now: FAILED + 15 * 60_000 });
      expect((await messages(engine)).filter((m) => m.recipient_address === 'billing@acme.example')).toEqual(
        [],
      );
    });

    it('should close the task and cancel the notice when the invoice is paid outside Duly', async () => {
      await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      engine.setNow(FAILED + 60_000);
      await ingestEvent({
        ctx: engine.ctx,
        input: { id: 'evt-3', type: 'invoice.paid', data: { invoice_number: 'INV-1' } },
      });
      const [task] = await listTasks({ ctx: engine.ctx, input: { state: 'all' } });
      expect(task).toMatchObject({ state: 'done', closed_reason: 'invoice paid' });
      expect((await touchesOf(engine.ctx)).find((t) => t.step_id === 'client-notice')).toMatchObject({
        state: 'cancelled',
        reason: 'invoice paid',
      });
    });

    it('should change nothing when the same event, or the same charge from another source, comes again', async () => {
      await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      const before = await counts(engine);
      const replay = await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      expect(replay).toMatchObject({ duplicate: true });
      const again = await ingestEvent({
        ctx: engine.ctx,
        input: { ...failedEvent('evt-poll'), source: 'poller' },
      });
      expect(again.effect).toContain('already recorded');
      expect(await counts(engine)).toEqual({ ...before, events: before.events + 1 });
    });

    it('should let staff close a task by hand, and refuse an unknown or closed one', async () => {
      await ingestEvent({ ctx: engine.ctx, input: failedEvent() });
      const [task] = await listTasks({ ctx: engine.ctx, input: {} });
      await closeTask({ ctx: engine.ctx, input: { id: task?.id, reason: 'called the client' } });
      expect(await listTasks({ ctx: engine.ctx, input: {} })).toEqual([]);
      await expect(closeTask({ ctx: engine.ctx, input: { id: task?.id } })).rejects.toThrow(/already closed/);
      await expect(closeTask({ ctx: engine.ctx, input: { id: 999 } })).rejects.toThrow(/no task 999/);
    });

    it('should take the failure over real HTTP and answer a bad event with a 400 naming the field', async () => {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const post = (body: unknown) =>
        fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const accepted = await post(failedEvent());
      expect(accepted.status).toBe(202);
      // The alert went out before the answer came back.
      expect((await messages(engine)).map((m) => m.channel).sort()).toEqual(['email', 'email', 'team']);

      for (const [body, field] of [
        [{ id: 'e', type: 'payment.failed', data: {} }, 'data.invoice_number'],
        [failedEvent('e2', { amount: 'twelve' }), 'data.amount'],
        [failedEvent('e3', { reason: 42 }), 'data.reason'],
        [failedEvent('e4', { invoice_number: 'INV-404' }), 'data.invoice_number'],
      ] as const) {
        const refused = await post(body);
        expect([400, 404]).toContain(refused.status);
        expect(((await refused.json()) as { error: { field: string } }).error.field).toBe(field);
      }

      const listed = (await (await fetch(`${base}/v1/tasks?state=open`)).json()) as {
        tasks: { id: number }[];
      };
      expect(listed.tasks).toHaveLength(1);
      const closed = await fetch(`${base}/v1/tasks/${listed.tasks[0]?.id}/close`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'card updated' }),
      });
      expect(closed.status).toBe(200);
      const done = (await (await fetch(`${base}/v1/tasks?state=done`)).json()) as {
        tasks: { closed_reason: string }[];
      };
      expect(done.tasks[0]?.closed_reason).toBe('card updated');
      expect((await fetch(`${base}/v1/tasks?state=later`)).status).toBe(400);
    });
  });
}
