import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPromisesMade, recordPromise } from '../../src/engine/holds/record-promise.ts';
import { recordPayment } from '../../src/engine/record-payment.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { exportAudit } from '../../src/store/audit-export.ts';
import {
  openTestEngine,
  sandboxMessages,
  seedInvoice,
  type TestEngine,
  touchesOf,
} from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';
import { holdsTestConfig } from './holds-config.ts';

const at = (iso: string) => Date.parse(iso);
const DUE = '2026-03-16';

async function auditEntries(engine: TestEngine): Promise<{ kind: string; actor: string; data: any }[]> {
  let text = '';
  await exportAudit(engine.ctx.store.db, engine.ctx.tenantId, 'jsonl', (chunk) => {
    text += chunk;
  });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

const sentSteps = async (engine: TestEngine) =>
  (await touchesOf(engine.ctx)).filter((t) => t.state === 'sent').map((t) => `${t.step_id}>${t.recipient}`);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`promises to pay on ${dialect}`, () => {
    let engine: TestEngine;
    beforeEach(async () => {
      engine = await openTestEngine(dialect, holdsTestConfig(), at('2026-03-14T15:00:00Z'));
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: DUE });
      await engine.ctx.store.db.updateTable('accounts').set({ owner: 'ana' }).execute();
    });
    afterEach(() => engine.close());

    const promise = (amount: string, promisedOn: string, actor = 'cli:ana') =>
      recordPromise({
        ctx: { ...engine.ctx, actor },
        input: { invoiceNumber: 'INV-1', amount, promisedOn, note: 'will pay after their board meets' },
      });

    it('should hold client reminders until the end of the promised day, while team steps go out', async () => {
      const made = await promise('500', '2026-03-22');
      expect(made).toMatchObject({ amount: '500.00', currency: 'USD', state: 'open', recordedBy: 'cli:ana' });
      // The end of March 22nd in New York.
      expect(made.remindersWaitUntil).toBe('2026-03-23T04:00:00.000Z');
      for (const now of ['2026-03-16T13:00:00Z', '2026-03-19T13:00:00Z', '2026-03-21T13:00:00Z']) {
        await runTick(engine.ctx, { now: at(now) });
      }
      // due and late-fee waited; the owner check (due+5d) went to Ana.
      expect(await sentSteps(engine)).toEqual(['owner-check>ana']);
    });

    it('should break an unpaid promise when its day ends: the owner is told and the latest step goes out', async () => {
      await promise('500', '2026-03-20');
      await runTick(engine.ctx, { now: at('2026-03-19T13:00:00Z') });
      expect(await sentSteps(engine)).toEqual([]);
      // A minute before the end of the 20th in New York: still open.
      await runTick(engine.ctx, { now: at('2026-03-21T03:59:00Z') });
      expect((await listPromisesMade({ ctx: engine.ctx, input: {} }))[0]?.state).toBe('open');
      const tick = await runTick(engine.ctx, { now: at('2026-03-21T04:00:00Z') });
      expect(tick.sent).toBe(2);
      expect((await sentSteps(engine)).sort()).toEqual(['late-fee>acme-billing', 'tell-owner>ana']);
      expect((await listPromisesMade({ ctx: engine.ctx, input: {} }))[0]?.state).toBe('broken');
      const alert = (await sandboxMessages(engine.ctx)).find((m) => m.text.includes('promised'));
      expect(alert?.text).toContain('INV-1');
      const broken = (await auditEntries(engine)).find((e) => e.kind === 'promise.broken');
      expect(broken).toMatchObject({
        actor: 'system',
        data: { amount: 50_000, promised_on: '2026-03-20', paid_since: 0 },
      });
      // Judged once: the next tick neither alerts again nor re-sends.
      expect(await runTick(engine.ctx, { now: at('2026-03-21T05:00:00Z') })).toMatchObject({
        planned: 0,
        sent: 0,
      });
    });

    it('should keep a promise as soon as the promised amount is paid, and tell nobody', async () => {
      await promise('500', '2026-03-20');
      engine.setNow(at('2026-03-18T15:00:00Z'));
      await recordPayment({ ctx: engine.ctx, input: { invoiceNumber: 'INV-1', amount: '500' } });
      expect((await listPromisesMade({ ctx: engine.ctx, input: {} }))[0]?.state).toBe('kept');
      await runTick(engine.ctx, { now: at('2026-03-21T04:00:00Z') });
      // Promise kept: the rest is still owed, so the schedule resumes; no alert to the owner.
      expect(await sentSteps(engine)).toEqual(['late-fee>acme-billing']);
      const kinds = (await auditEntries(engine)).map((e) => e.kind);
      expect(kinds).toContain('promise.kept');
      expect(kinds).not.toContain('promise.broken');
    });

    it('should replace an open promise, and refuse one for a past day or more than is owed', async () => {
      const first = await promise('500', '2026-03-20');
      const second = await promise('1200', '2026-03-25');
      const listed = await listPromisesMade({ ctx: engine.ctx, input: {} });
      expect(listed.map((p) => [p.id, p.state])).toEqual([
        [second.id, 'open'],
        [first.id, 'withdrawn'],
      ]);
      await expect(promise('100', '2026-03-13')).rejects.toMatchObject({
        code: 'invalid_input',
        place: { field: 'promised_on' },
      });
      await expect(promise('1200.01', '2026-03-25')).rejects.toMatchObject({
        code: 'invalid_input',
        place: { field: 'amount' },
        message: 'the balance is 1200.00 USD; promise at most that',
      });
      await expect(
        recordPromise({
          ctx: engine.ctx,
          input: { invoiceNumber: 'NOPE', amount: '1', promisedOn: '2026-03-25' },
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
