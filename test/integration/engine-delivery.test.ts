import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { startSmtpInbox } from '../fakes/smtp-inbox.ts';
import {
  defaultTestConfig,
  openTestEngine,
  seedInvoice,
  type TestEngine,
  touchesOf,
} from '../support/engine-harness.ts';

const at = (iso: string) => Date.parse(iso);
const DUE = '2026-03-16';

/** A provider that is down: every request gets 503 with Retry-After, and is counted. */
async function startDeadProvider(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '120' });
    res.end('{"error":"maintenance"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/duly`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('engine delivery through real providers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should send a reminder as real email, in the recipient locale, with an unsubscribe header', async () => {
    const inbox = await startSmtpInbox();
    cleanups.push(inbox.close);
    const config = defaultTestConfig({
      channels: {
        email: {
          name: 'email',
          provider: 'smtp',
          options: { url: `smtp://127.0.0.1:${inbox.port}`, from: 'Billing <billing@duly.example>' },
        },
        sms: { name: 'sms', provider: 'sandbox', options: { address: 'phone' } },
        team: { name: 'team', provider: 'in_app', options: {} },
        in_app: { name: 'in_app', provider: 'in_app', options: {} },
      },
    });
    const engine = await openTestEngine('sqlite', config, at('2026-03-19T08:00:00Z'));
    cleanups.push(engine.close);
    await seedInvoice(engine.ctx, {
      number: 'F-2026-031',
      dueOn: DUE,
      amount: 123_456,
      currency: 'EUR',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      email: 'compta@client.example',
    });

    // overdue-1 is due 2026-03-19 09:00 in Paris (08:00Z).
    expect(await runTick(engine.ctx, { now: at('2026-03-19T08:00:00Z') })).toMatchObject({
      sent: 1,
      failed: 0,
    });
    expect(inbox.received).toHaveLength(1);
    const mail = inbox.received[0]?.parsed;
    expect(inbox.received[0]?.envelope.to).toEqual(['compta@client.example']);
    expect(mail?.subject).toContain('F-2026-031');
    expect(mail?.text).toContain(formatMoney(123_456, 'EUR', 'fr-FR'));
    expect(mail?.html).toContain('F-2026-031');
    const header = (key: string) =>
      mail?.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toMatch(
      /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:3000\/unsubscribe\/[\w-]+\.[\w-]+>$/,
    );
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const [touch] = await touchesOf(engine.ctx);
    expect(touch).toMatchObject({ state: 'sent', attempts: 1 });
    expect(touch?.provider_message_id).toBe(mail?.messageId);
  });

  it('should retry a dead provider with backoff, honour Retry-After, then end dead with the reason', async () => {
    const provider = await startDeadProvider();
    cleanups.push(provider.close);
    const config = defaultTestConfig({
      channels: {
        email: {
          name: 'email',
          provider: 'webhook',
          options: { url: provider.url, secret: 'a-very-long-test-secret' },
        },
        sms: { name: 'sms', provider: 'sandbox', options: { address: 'phone' } },
        team: { name: 'team', provider: 'in_app', options: {} },
        in_app: { name: 'in_app', provider: 'in_app', options: {} },
      },
      retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    });
    const engine: TestEngine = await openTestEngine('sqlite', config, at('2026-03-19T13:00:00Z'));
    cleanups.push(engine.close);
    await seedInvoice(engine.ctx, { number: 'INV-DEAD', dueOn: DUE });

    let now = at('2026-03-19T13:00:00Z');
    const first = await runTick(engine.ctx, { now, random: () => 0.5 });
    expect(first).toMatchObject({ sent: 0, failed: 1 });
    let [touch] = await touchesOf(engine.ctx);
    // Backoff after attempt 1 is 45 s with this jitter, but the provider asked for 120 s.
    expect(touch).toMatchObject({ state: 'retrying', attempts: 1, next_attempt_at: now + 120_000 });
    expect(touch?.reason).toContain('503');

    // Not yet due: nothing is tried early.
    expect(await runTick(engine.ctx, { now: now + 119_000, random: () => 0.5 })).toMatchObject({ failed: 0 });
    expect(provider.requests()).toBe(1);

    now += 120_000;
    expect(await runTick(engine.ctx, { now, random: () => 0.5 })).toMatchObject({ failed: 1 });
    [touch] = await touchesOf(engine.ctx);
    // Attempt 2: exponential 120 s, half jittered (90 s at 0.5), floored by Retry-After (120 s).
    expect(touch).toMatchObject({ state: 'retrying', attempts: 2, next_attempt_at: now + 120_000 });

    now += 120_000;
    expect(await runTick(engine.ctx, { now, random: () => 0.5 })).toMatchObject({ failed: 1 });
    [touch] = await touchesOf(engine.ctx);
    expect(touch).toMatchObject({ state: 'dead', attempts: 3 });
    expect(touch?.reason).toMatch(/^gave up after 3 attempts: .*503/);
    expect(provider.requests()).toBe(3);

    const attempts = await engine.ctx.store.db.selectFrom('attempts').selectAll().orderBy('id').execute();
    expect(attempts.map((a) => [a.attempt_no, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
    ]);
    // Dead is final: later ticks leave it alone.
    expect(await runTick(engine.ctx, { now: now + 86_400_000, random: () => 0.5 })).toMatchObject({
      failed: 0,
    });
    expect(provider.requests()).toBe(3);
  });
});
