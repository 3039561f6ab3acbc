import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DulyConfig } from '../../src/domain/config.ts';
import { dispatchDueTouches } from '../../src/engine/dispatch/dispatch-due-touches.ts';
import { planDueInvoices } from '../../src/engine/plan-due-invoices.ts';
import { createEngineCtx, type EngineCtx } from '../../src/engine/runtime.ts';
import { openStore } from '../../src/store/connect.ts';
import { DEFAULT_TENANT } from '../../src/store/migrate.ts';
import { selectDueTouches } from '../../src/store/outbox-repo.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import {
  defaultTestConfig,
  dueOnWithReminderDue,
  openTestEngine,
  seedInvoice,
  type TestEngine,
  touchesOf,
} from '../support/engine-harness.ts';
import { dialectAvailable } from '../support/test-store.ts';

const SECRET = 'workers-test-secret-0123456789';

function webhookConfig(receiver: WebhookReceiver, dispatch: Partial<DulyConfig['dispatch']>): DulyConfig {
  const base = defaultTestConfig();
  return {
    ...base,
    channels: {
      ...base.channels,
      email: { name: 'email', provider: 'webhook', options: { url: receiver.url, secret: SECRET } },
    },
    dispatch: { ...base.dispatch, ...dispatch },
  };
}

/** A second worker on the same PostgreSQL schema: its own connection pool, same data. */
function secondWorker(first: TestEngine, config: DulyConfig): { ctx: EngineCtx; close(): Promise<void> } {
  return createEngineCtx(openStore(first.ctx.store.url), config, {
    clock: first.ctx.clock,
    logger: pino({ level: 'silent' }),
    actor: 'test',
    runtime: { linkSecret: 'test-secret' },
  });
}

/** Invoices whose first reminder is due now in real time. */
async function seedDueNow(ctx: EngineCtx, count: number): Promise<void> {
  const due = dueOnWithReminderDue(Date.now());
  for (let i = 0; i < count; i += 1) {
    await seedInvoice(ctx, { account: `acct-${i}`, number: `W-${i}`, dueOn: due, timezone: 'UTC' });
  }
}

const dispatch = (ctx: EngineCtx) =>
  dispatchDueTouches(ctx, {
    now: Date.now(),
    random: () => 0.5,
  });

describe.skipIf(!dialectAvailable('postgres'))('several workers on one PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should send each touch exactly once when two workers dispatch side by side', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    cleanups.push(receiver.close);
    receiver.answer({ delayMs: 5 });
    const config = webhookConfig(receiver, { batchSize: 20, maxInFlight: 4 });
    // Every day is a business day and there are no quiet hours, so "now" is always sendable.
    const a = await openTestEngine('postgres', config, Date.now());
    cleanups.push(a.close);
    const b = secondWorker(a, config);
    cleanups.push(b.close);
    await seedDueNow(a.ctx, 60);
    const now = Date.now();
    await planDueInvoices(a.ctx, now);
    const touches = await touchesOf(a.ctx);
    expect(touches.length).toBe(60);
    // Make them all due now, wherever 09:00 UTC is relative to the real clock.
    await a.ctx.store.db.updateTable('touches').set({ next_attempt_at: now, due_at: now }).execute();

    const [countsA, countsB] = await Promise.all([dispatch(a.ctx), dispatch(b.ctx)]);
    expect(countsA.sent + countsB.sent).toBe(60);
    expect(countsA.sent).toBeGreaterThan(0);
    expect(countsB.sent).toBeGreaterThan(0);
    const keys = receiver.received.map((r) => String(r.headers['idempotency-key']));
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    expect((await touchesOf(a.ctx)).every((t) => t.state === 'sent')).toBe(true);
  });

  it('should keep renewing the lease of a slow batch so no other worker takes it up', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    cleanups.push(receiver.close);
    receiver.answer({ delayMs: 300 });
    // Six sends one at a time take ~1.8 s: three times the 600 ms lease.
    const config = webhookConfig(receiver, {
      batchSize: 10,
      maxInFlight: 1,
      leaseMs: 600,
      sendTimeoutMs: 500,
    });
    const a = await openTestEngine('postgres', config, Date.now());
    cleanups.push(a.close);
    await seedDueNow(a.ctx, 6);
    const now = Date.now();
    await planDueInvoices(a.ctx, now);
    await a.ctx.store.db.updateTable('touches').set({ next_attempt_at: now, due_at: now }).execute();

    // The heartbeat reads the clock as `serve` does: real time.
    const sending = dispatch({ ...a.ctx, clock: () => Date.now() });
    const lapsedSeen: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      // What another worker would claim right now: lapsed leases included.
      const claimable = await a.ctx.store.db
        .transaction()
        .execute((trx) => selectDueTouches(trx, 'postgres', DEFAULT_TENANT, Date.now(), 100));
      lapsedSeen.push(claimable.length);
    }
    const counts = await sending;
    expect(counts.sent).toBe(6);
    expect(lapsedSeen.every((n) => n === 0)).toBe(true);
    expect(receiver.received).toHaveLength(6);
  });
});
