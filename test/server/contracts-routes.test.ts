import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { contractTestConfig } from '../engine/contract-policies.ts';
import { openTestEngine, seedInvoice, type TestEngine } from '../support/engine-harness.ts';

const KEY = 'test-api-key';

describe('contracts over HTTP (loopback)', () => {
  let engine: TestEngine;
  let app: FastifyInstance;
  let base: string;
  beforeEach(async () => {
    engine = await openTestEngine('sqlite', contractTestConfig(), Date.parse('2026-03-10T15:00:00Z'));
    await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-05-16' });
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
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('should create, update, list and decide a contract, each change in the audit trail', async () => {
    const contract = {
      account_id: 'acme',
      name: 'Maintenance',
      kind: 'contract',
      amount: '12000.00',
      currency: 'usd',
      ends_on: '2026-04-20',
    };
    const created = await call('PUT', '/v1/contracts/C-1', contract);
    expect(created).toMatchObject({
      status: 200,
      body: { created: 1, contract: { id: 'C-1', amount: '12000.00', currency: 'USD' } },
    });
    expect(await call('PUT', '/v1/contracts/C-1', contract)).toMatchObject({ body: { unchanged: 1 } });
    expect(await call('PUT', '/v1/contracts/C-1', { ...contract, ends_on: '2026-05-20' })).toMatchObject({
      body: { updated: 1 },
    });
    const listed = await call('GET', '/v1/contracts');
    expect(listed.body.contracts).toEqual([
      expect.objectContaining({ id: 'C-1', ends_on: '2026-05-20', decision: null }),
    ]);
    const decided = await call('POST', '/v1/contracts/C-1/decision', {
      decision: 'end',
      note: 'client moves in-house',
    });
    expect(decided).toMatchObject({ status: 200, body: { decision: 'end', touchesCancelled: 0 } });
    expect((await call('GET', '/v1/contracts')).body.contracts[0]).toMatchObject({
      decision: 'end',
      decided_by: 'api',
    });
    const audit = await engine.ctx.store.db
      .selectFrom('audit')
      .select(['kind', 'actor'])
      .where('subject', '=', 'contract:C-1')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { kind: 'contract.created', actor: 'api' },
      { kind: 'contract.updated', actor: 'api' },
      { kind: 'contract.decided', actor: 'api' },
    ]);
  });

  it.each([
    ['PUT', '/v1/contracts/C-1', { account_id: 'nobody', name: 'X', kind: 'contract' }, 400, 'account_id'],
    ['PUT', '/v1/contracts/C-1', { account_id: 'acme', name: 'X', kind: 'lease' }, 400, 'kind'],
    [
      'PUT',
      '/v1/contracts/C-1',
      { account_id: 'acme', name: 'X', kind: 'contract', amount: '10' },
      400,
      'currency',
    ],
    [
      'PUT',
      '/v1/contracts/C-1',
      { account_id: 'acme', name: 'X', kind: 'subscription', auto_renew: true },
      400,
      'renews_on',
    ],
    ['POST', '/v1/contracts/C-9/decision', { decision: 'renew' }, 404, 'contract'],
    ['POST', '/v1/contracts/C-9/decision', { decision: 'maybe' }, 400, 'decision'],
  ])('should answer %s %s %j with %i naming %s', async (method, path, body, status, field) => {
    const response = await call(method, path, body);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { field } });
  });
});
