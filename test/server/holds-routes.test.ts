import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { holdsTestConfig } from '../engine/holds-config.ts';
import { openTestEngine, seedInvoice, type TestEngine } from '../support/engine-harness.ts';

const at = (iso: string) => Date.parse(iso);
const KEY = 'test-api-key';

describe('promises, policy overrides and opt-outs over HTTP', () => {
  let engine: TestEngine;
  let app: FastifyInstance;
  let base: string;
  beforeEach(async () => {
    engine = await openTestEngine('sqlite', holdsTestConfig(), at('2026-03-12T15:00:00Z'));
    await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16' });
    app = createServer({ ctx: engine.ctx, metrics: createMetrics(), apiKey: KEY });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await app.close();
    await engine.close();
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  it('should record a promise and list it', async () => {
    const made = await call('POST', '/v1/invoices/INV-1/promises', {
      amount: '250.50',
      promised_on: '2026-03-20',
    });
    expect(made).toMatchObject({
      status: 201,
      json: { invoiceNumber: 'INV-1', amount: '250.50', state: 'open', recordedBy: 'api' },
    });
    const listed = await call('GET', '/v1/promises?state=open');
    expect(listed.json.promises.map((p: { id: number }) => p.id)).toEqual([made.json.id]);
  });

  it.each([
    ['POST', '/v1/invoices/INV-1/promises', { amount: '10', promised_on: '20 March' }, 400, 'promised_on'],
    ['POST', '/v1/invoices/INV-9/promises', { amount: '10', promised_on: '2026-03-20' }, 404, 'invoice'],
    ['PUT', '/v1/accounts/acme/policy', { policy_id: 'disputes' }, 400, 'policy'],
    ['PUT', '/v1/invoices/INV-1/opt-out', { opted_out: 'yes' }, 400, 'opted_out'],
  ])('should answer %s %s %j with %i naming %s', async (method, path, body, status, field) => {
    const response = await call(method, path, body);
    expect(response).toMatchObject({ status, json: { error: { field } } });
  });

  it('should set and clear an account policy, and opt an invoice out and back in', async () => {
    expect(await call('PUT', '/v1/accounts/acme/policy', { policy_id: 'gentle' })).toMatchObject({
      status: 200,
      json: { policyId: 'gentle', openInvoices: 1 },
    });
    expect((await call('PUT', '/v1/accounts/acme/policy', { policy_id: null })).json.policyId).toBeNull();
    expect((await call('PUT', '/v1/invoices/INV-1/opt-out', { opted_out: true })).json.optedOut).toBe(true);
    const invoice = await engine.ctx.store.db
      .selectFrom('invoices')
      .select('opted_out')
      .executeTakeFirstOrThrow();
    expect(invoice.opted_out).toBe(1);
    expect((await call('PUT', '/v1/invoices/INV-1/opt-out', { opted_out: false })).json.optedOut).toBe(false);
  });
});
