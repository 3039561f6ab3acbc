import { afterEach, describe, expect, it } from 'vitest';
import { planDueInvoices } from '../../src/engine/plan-due-invoices.ts';
import { recordPayment } from '../../src/engine/record-payment.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { startWebhookReceiver } from '../fakes/webhook-receiver.ts';
import {
  defaultTestConfig,
  dueOnWithReminderDue,
  openTestEngine,
  seedInvoice,
  touchesOf,
} from '../support/engine-harness.ts';

const SECRET = 'payment-during-send-secret';

describe('a payment while a batch is going out', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should stop the send of an invoice paid after its claim but before its turn', async () => {
    const receiver = await startWebhookReceiver(SECRET);
    cleanups.push(receiver.close);
    receiver.answer({ delayMs: 200 });
    const base = defaultTestConfig();
    const config = {
      ...base,
      channels: {
        ...base.channels,
        email: { name: 'email', provider: 'webhook', options: { url: receiver.url, secret: SECRET } },
      },
      dispatch: { ...base.dispatch, maxInFlight: 1 },
    };
    // Real time: the receiver checks signatures against its own clock.
    const engine = await openTestEngine('sqlite', config, Date.now());
    cleanups.push(engine.close);
    const ctx = { ...engine.ctx, clock: () => Date.now() };
    const due = dueOnWithReminderDue(Date.now());
    for (const n of [1, 2, 3])
      await seedInvoice(ctx, { account: `a${n}`, number: `P-${n}`, dueOn: due, timezone: 'UTC' });
    const now = Date.now();
    // Plan each invoice's first reminder and make it due now, so that one tick claims all three.
    await planDueInvoices(ctx, now);
    await ctx.store.db.updateTable('touches').set({ next_attempt_at: now, due_at: now }).execute();
    expect(await touchesOf(ctx)).toHaveLength(3);
    const ticking = runTick(ctx, { now, random: () => 0.5 });
    // The first send is on the wire: P-3 is paid while it waits its turn.
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await recordPayment({ ctx, input: { invoiceNumber: 'P-3' } });
    const counts = await ticking;

    expect(counts).toMatchObject({ sent: 2, cancelled: 1 });
    expect(
      receiver.received.map(
        (r) => (r.json as { metadata: { invoiceNumbers: string[] } }).metadata.invoiceNumbers,
      ),
    ).toEqual([['P-1'], ['P-2']]);
    const touches = await touchesOf(ctx);
    expect(touches.find((t) => t.subject_id === 'inv-P-3')).toMatchObject({
      state: 'cancelled',
      reason: 'invoice paid',
      attempts: 0,
    });
  });
});
