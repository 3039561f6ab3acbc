import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideContract } from '../../src/engine/contracts/decide-contract.ts';
import { importContracts } from '../../src/engine/contracts/import-contracts.ts';
import { upsertContracts } from '../../src/engine/contracts/upsert-contracts.ts';
import { importInvoices } from '../../src/engine/import/import-rows.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { simulateTimeline } from '../../src/engine/simulate-timeline.ts';
import { verifyAudit } from '../../src/store/audit.ts';
import { openTestEngine, sandboxMessages, type TestEngine } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';
import { contractTestConfig } from './contract-policies.ts';

const at = (iso: string) => Date.parse(iso);
const tick = (engine: TestEngine, iso: string) => {
  engine.setNow(at(iso));
  return runTick(engine.ctx, { now: at(iso), random: () => 0.5 });
};

async function seedAccount(engine: TestEngine, id = 'acme') {
  const db = engine.ctx.store.db;
  const tenant_id = engine.ctx.tenantId;
  await db
    .insertInto('accounts')
    .values({
      tenant_id,
      id,
      name: 'Acme Plumbing',
      timezone: 'America/New_York',
      locale: 'en-US',
      currency: null,
      tags: '[]',
      owner: null,
      paused_until: null,
      pause_reason: null,
      auto_pay: 0,
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  await db
    .insertInto('contacts')
    .values({
      tenant_id,
      id: `${id}-billing`,
      account_id: id,
      name: 'Jane Doe',
      email: `billing@${id}.example`,
      phone: null,
      whatsapp: null,
      telegram: null,
      preferred_channel: null,
      timezone: null,
      locale: null,
      opt_outs: '[]',
      created_at: 0,
      updated_at: 0,
    })
    .execute();
}

const put = (engine: TestEngine, contract: Record<string, unknown>) =>
  upsertContracts({ ctx: engine.ctx, input: { contracts: [{ account_id: 'acme', ...contract }] } });

async function contractTouches(engine: TestEngine) {
  return engine.ctx.store.db
    .selectFrom('touches')
    .selectAll()
    .where('subject_kind', '=', 'contract')
    .orderBy('id')
    .execute();
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`contracts on ${dialect}`, () => {
    let engine: TestEngine;
    beforeEach(async () => {
      engine = await openTestEngine(dialect, contractTestConfig(), at('2026-03-10T00:00:00Z'));
      await seedAccount(engine);
    });
    afterEach(() => engine.close());

    // Ends Monday 2026-04-20. 30 days before is 2026-03-21, 09:00 in Paris = 08:00Z (CET); 7 days before is
    // 2026-04-13, 09:00 in Paris = 07:00Z (CEST, after the change of 03-29).
    const ENDING = {
      id: 'C-1',
      name: 'Maintenance',
      kind: 'contract',
      amount: '12000',
      currency: 'USD',
      ends_on: '2026-04-20',
    };

    it('should tell the team 30 and 7 days before the end, at 09:00 their time, once each', async () => {
      await put(engine, ENDING);
      expect(await tick(engine, '2026-03-21T06:59:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, '2026-03-21T07:00:00Z')).toMatchObject({ planned: 1, sent: 0 });
      expect(await tick(engine, '2026-03-21T08:00:00Z')).toMatchObject({ planned: 0, sent: 1 });
      expect(await tick(engine, '2026-03-21T08:05:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, '2026-04-13T06:59:59Z')).toMatchObject({ planned: 1, sent: 0 });
      expect(await tick(engine, '2026-04-13T07:00:00Z')).toMatchObject({ planned: 0, sent: 1 });
      expect(await tick(engine, '2026-04-21T07:00:00Z')).toMatchObject({ planned: 0, sent: 0 });
      const touches = await contractTouches(engine);
      expect(touches.map((t) => [t.step_id, t.audience, t.recipient, t.state, Number(t.due_at)])).toEqual([
        ['notice-30d', 'team', 'ana', 'sent', at('2026-03-21T08:00:00Z')],
        ['notice-7d', 'team', 'ana', 'sent', at('2026-04-13T07:00:00Z')],
      ]);
      expect(touches[0]?.dedupe_key).toContain('/C-1@2026-04-20/');
      const messages = await sandboxMessages(engine.ctx);
      expect(messages.map((m) => m.recipient_address)).toEqual(['ana@example.com', 'ana@example.com']);
      expect(messages[0]?.subject).toBe('Maintenance (Acme Plumbing) ends on Apr 20, 2026, in 30 days');
      expect(messages[0]?.text).toContain('($12,000.00)');
      expect(messages[1]?.subject).toContain('in 7 days');
      expect(await verifyAudit(engine.ctx.store.db, engine.ctx.tenantId)).toMatchObject({ ok: true });
    });

    it('should stop the 7-day notice once a decision is recorded after the first', async () => {
      await put(engine, ENDING);
      await tick(engine, '2026-03-21T08:00:00Z');
      // Planned an hour ahead, then the decision lands: the waiting notice is cancelled at once.
      expect(await tick(engine, '2026-04-13T06:30:00Z')).toMatchObject({ planned: 1, sent: 0 });
      engine.setNow(at('2026-04-13T06:45:00Z'));
      const decided = await decideContract({
        ctx: engine.ctx,
        input: { id: 'C-1', decision: 'renew', note: 'two more years agreed' },
      });
      expect(decided).toMatchObject({ decision: 'renew', touchesCancelled: 1 });
      expect(await tick(engine, '2026-04-13T07:00:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect((await contractTouches(engine)).map((t) => [t.step_id, t.state, t.reason])).toEqual([
        ['notice-30d', 'sent', null],
        ['notice-7d', 'cancelled', 'decision recorded: renew'],
      ]);
      const audit = await engine.ctx.store.db
        .selectFrom('audit')
        .select(['kind', 'actor', 'data'])
        .where('kind', '=', 'contract.decided')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor).toBe('test');
      expect(JSON.parse(audit[0]?.data ?? '{}')).toMatchObject({
        decision: 'renew',
        note: 'two more years agreed',
      });
      // A new end date is a new period: the team hears about it again.
      await put(engine, { ...ENDING, ends_on: '2027-04-20' });
      expect(await tick(engine, '2027-03-21T08:00:00Z')).toMatchObject({ sent: 1 });
      expect((await contractTouches(engine)).at(-1)?.dedupe_key).toContain('/C-1@2027-04-20/');
    });

    it('should tell the client N days before an auto-renewal, with the amount and date, again next period', async () => {
      await put(engine, {
        id: 'S-1',
        name: 'Pro plan',
        kind: 'subscription',
        amount: '49.00',
        currency: 'USD',
        auto_renew: true,
        renews_on: '2026-04-01',
      });
      // 7 days before, 09:00 in New York (EDT) = 13:00Z.
      expect(await tick(engine, '2026-03-25T12:59:00Z')).toMatchObject({ planned: 1, sent: 0 });
      expect(await tick(engine, '2026-03-25T13:00:00Z')).toMatchObject({ sent: 1 });
      expect(await tick(engine, '2026-03-25T14:00:00Z')).toMatchObject({ planned: 0, sent: 0 });
      const [message] = await sandboxMessages(engine.ctx);
      expect(message?.recipient_address).toBe('billing@acme.example');
      expect(message?.subject).toBe('Pro plan renews on Apr 1, 2026 for $49.00');
      expect(message?.text).toContain('in 7 days');
      await put(engine, {
        id: 'S-1',
        name: 'Pro plan',
        kind: 'subscription',
        amount: '49.00',
        currency: 'USD',
        auto_renew: true,
        renews_on: '2026-05-01',
      });
      expect(await tick(engine, '2026-04-24T13:00:00Z')).toMatchObject({ sent: 1 });
      expect((await sandboxMessages(engine.ctx)).at(-1)?.subject).toBe(
        'Pro plan renews on May 1, 2026 for $49.00',
      );
    });

    it('should cancel a planned renewal notice when auto-renewal is turned off or the date moves', async () => {
      const base = {
        name: 'Pro plan',
        kind: 'subscription',
        amount: '49.00',
        currency: 'USD',
        auto_renew: true,
      };
      await put(engine, { id: 'S-1', ...base, renews_on: '2026-04-01' });
      await put(engine, { id: 'S-2', ...base, renews_on: '2026-04-01' });
      expect(await tick(engine, '2026-03-25T12:30:00Z')).toMatchObject({ planned: 2, sent: 0 });
      engine.setNow(at('2026-03-25T12:40:00Z'));
      expect(
        await put(engine, { id: 'S-1', ...base, auto_renew: false, renews_on: '2026-04-01' }),
      ).toMatchObject({
        updated: 1,
        touchesCancelled: 1,
      });
      // Moved behind the outbox's back: the guard sees it at send time.
      await engine.ctx.store.db
        .updateTable('contracts')
        .set({ renews_on: '2026-04-15' })
        .where('id', '=', 'S-2')
        .execute();
      expect(await tick(engine, '2026-03-25T13:00:00Z')).toMatchObject({ sent: 0, cancelled: 1 });
      expect((await contractTouches(engine)).map((t) => [t.subject_id, t.state, t.reason])).toEqual([
        ['S-1', 'cancelled', 'auto-renewal is off'],
        ['S-2', 'cancelled', 'renews_on moved to 2026-04-15'],
      ]);
    });

    it('should announce a recurring invoice, confirm it once imported, and announce the next one', async () => {
      await put(engine, {
        id: 'R-1',
        name: 'Monthly support',
        kind: 'recurring_job',
        amount: '300',
        currency: 'USD',
        next_invoice_on: '2026-03-20',
      });
      // 5 days before, 09:00 New York = 13:00Z.
      expect(await tick(engine, '2026-03-15T13:00:00Z')).toMatchObject({ planned: 1, sent: 1 });
      const dir = await mkdtemp(join(tmpdir(), 'duly-contracts-'));
      try {
        const file = join(dir, 'invoices.csv');
        await writeFile(
          file,
          'account_id,account_name,invoice_number,amount,currency,issued_on,due_on,contract_id\nacme,Acme Plumbing,INV-77,300.00,USD,2026-03-20,2026-04-19,R-1\n',
        );
        engine.setNow(at('2026-03-20T15:00:00Z'));
        await importInvoices({ ctx: engine.ctx, input: { file } });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await put(engine, {
        id: 'R-1',
        name: 'Monthly support',
        kind: 'recurring_job',
        amount: '300',
        currency: 'USD',
        next_invoice_on: '2026-04-20',
      });
      expect(await tick(engine, '2026-03-20T15:00:00Z')).toMatchObject({ planned: 1, sent: 1 });
      expect(await tick(engine, '2026-03-21T15:00:00Z')).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(engine, '2026-04-15T13:00:00Z')).toMatchObject({ planned: 1, sent: 1 });
      const touches = await contractTouches(engine);
      expect(touches.map((t) => [t.step_id, t.dedupe_key.split('/')[3]])).toEqual([
        ['upcoming', 'R-1@2026-03-20'],
        ['sent', 'R-1@INV-77'],
        ['upcoming', 'R-1@2026-04-20'],
      ]);
      const messages = await sandboxMessages(engine.ctx);
      expect(messages.map((m) => m.subject)).toEqual([
        'Your next invoice for Monthly support is coming on Mar 20, 2026',
        'Invoice INV-77 for Monthly support has been issued',
        'Your next invoice for Monthly support is coming on Apr 20, 2026',
      ]);
      expect(messages[1]?.text).toContain('for $300.00, due on Apr 19, 2026');
    });

    it('should show every contract notice in the simulation, without writing anything', async () => {
      await put(engine, ENDING);
      await put(engine, {
        id: 'S-1',
        name: 'Pro plan',
        kind: 'subscription',
        auto_renew: true,
        renews_on: '2026-04-01',
      });
      const entries = await simulateTimeline({
        ctx: engine.ctx,
        input: { from: at('2026-03-10T00:00:00Z'), to: at('2026-04-30T00:00:00Z') },
      });
      const contract = entries.filter((e) => e.subject === 'C-1' || e.subject === 'S-1');
      expect(
        contract.map((e) => [
          new Date(e.at).toISOString(),
          e.trigger,
          e.subject,
          e.step,
          e.audience,
          e.recipient,
        ]),
      ).toEqual([
        ['2026-03-21T08:00:00.000Z', 'contract_end', 'C-1', 'notice-30d', 'team', 'ana'],
        ['2026-03-25T13:00:00.000Z', 'renewal', 'S-1', 'notice', 'client', 'Jane Doe'],
        ['2026-04-13T07:00:00.000Z', 'contract_end', 'C-1', 'notice-7d', 'team', 'ana'],
      ]);
      expect(await contractTouches(engine)).toEqual([]);
    });

    it('should refuse a contract file with every problem as FILE:LINE: field, and change nothing', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'duly-contracts-'));
      try {
        const file = join(dir, 'contracts.csv');
        await writeFile(
          file,
          'id,account_id,name,kind,amount,currency,ends_on\nC-1,acme,Maintenance,contract,12000,USD,2026-04-20\nC-2,acme,Other,lease,12.345,USD,2026-13-01\n',
        );
        await expect(importContracts({ ctx: engine.ctx, input: { file } })).rejects.toThrow(
          new RegExp(
            `${file}:3: kind: write one of contract, subscription, recurring_job\\n${file}:3: ends_on: write a date`,
          ),
        );
        await writeFile(
          file,
          'id,account_id,name,kind\nC-1,acme,Maintenance,contract\nC-2,nobody,Other,contract\n',
        );
        await expect(importContracts({ ctx: engine.ctx, input: { file } })).rejects.toThrow(
          `${file}:3: account_id: contract "C-2": no account with id "nobody"`,
        );
        expect(await engine.ctx.store.db.selectFrom('contracts').selectAll().execute()).toEqual([]);
        await writeFile(
          file,
          'id,account_id,name,kind,auto_renew,renews_on\nC-1,acme,Maintenance,subscription,yes,2026-06-01\n',
        );
        expect(await importContracts({ ctx: engine.ctx, input: { file } })).toMatchObject({ created: 1 });
        expect(await importContracts({ ctx: engine.ctx, input: { file } })).toMatchObject({
          created: 0,
          unchanged: 1,
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
