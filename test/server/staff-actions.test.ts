import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import {
  defaultTestConfig,
  openTestEngine,
  seedInvoice,
  type TestEngine,
  touchesOf,
} from '../support/engine-harness.ts';

const at = (iso: string) => Date.parse(iso);
const KEY = 'test-api-key';

describe('staff actions over HTTP', () => {
  let engine: TestEngine;
  let app: FastifyInstance;
  beforeEach(async () => {
    engine = await openTestEngine('sqlite', defaultTestConfig(), at('2026-03-05T15:00:00Z'));
    await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16' });
    app = createServer({ ctx: engine.ctx, metrics: createMetrics(), apiKey: KEY });
  });
  afterEach(async () => {
    await app.close();
    await engine.close();
  });
  const post = (url: string, payload: unknown, key: string | null = KEY) =>
    app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  it('should send a step now and say what happened', async () => {
    const response = await post('/v1/invoices/INV-1/send', { step: 'overdue-1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ requested: 1, counts: { sent: 1 } });
    expect((await touchesOf(engine.ctx))[0]).toMatchObject({ step_id: 'overdue-1', state: 'sent' });
  });

  it.each([
    ['/v1/invoices/INV-1/send', { step: 'nope' }, 400, 'step'],
    ['/v1/invoices/INV-1/send', {}, 400, 'step'],
    ['/v1/invoices/INV-9/send', { step: 'overdue-1' }, 404, 'invoice'],
    ['/v1/accounts/acme/pause', { until: 'next week', reason: 'x' }, 400, 'until'],
    ['/v1/accounts/acme/pause', { until: '2026-04-01T00:00:00Z', reason: '' }, 400, 'reason'],
    ['/v1/accounts/nobody/pause', { until: '2026-04-01T00:00:00Z', reason: 'x' }, 404, 'account'],
  ])('should answer %s %j with %i naming %s', async (url, body, status, field) => {
    const response = await post(url, body);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ error: { field } });
  });

  it('should hold and release an account', async () => {
    const held = await post('/v1/accounts/acme/pause', {
      until: '2026-04-01T00:00:00Z',
      reason: 'payment plan agreed',
    });
    expect(held.statusCode).toBe(200);
    const account = await engine.ctx.store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      paused_until: at('2026-04-01T00:00:00Z'),
      pause_reason: 'payment plan agreed',
    });
    expect((await post('/v1/accounts/acme/resume', {})).statusCode).toBe(200);
    const resumed = await engine.ctx.store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(resumed).toMatchObject({ paused_until: null, pause_reason: null });
  });

  it('should refuse every /v1 route without the API key', async () => {
    for (const url of ['/v1/invoices/INV-1/send', '/v1/accounts/acme/pause', '/v1/events']) {
      const response = await post(url, {}, null);
      expect(response.statusCode).toBe(401);
    }
    expect(await touchesOf(engine.ctx)).toEqual([]);
  });

  it('should treat a __proto__ key as an ordinary missing-field refusal, not as broken JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: '{"__proto__":{"polluted":true}}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'id' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
