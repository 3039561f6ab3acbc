import { afterEach, describe, expect, it } from 'vitest';
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

async function auditOf(engine: TestEngine, kind: string): Promise<{ actor: string; data: any }[]> {
  let text = '';
  await exportAudit(engine.ctx.store.db, engine.ctx.tenantId, 'jsonl', (chunk) => {
    text += chunk;
  });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((e) => e.kind === kind);
}

const chargesOf = (engine: TestEngine) =>
  engine.ctx.store.db.selectFrom('charges').selectAll().orderBy('id').execute();
const balanceOf = async (engine: TestEngine) =>
  Number(
    (await engine.ctx.store.db.selectFrom('invoices').select('balance').executeTakeFirstOrThrow()).balance,
  );

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`late fees, interest and discounts on ${dialect}`, () => {
    let engine: TestEngine;
    afterEach(() => engine?.close());

    it('should record a late fee once though the send is taken up again, quote it, and leave the balance alone', async () => {
      engine = await openTestEngine(dialect, holdsTestConfig(), at('2026-03-10T00:00:00Z'));
      await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: DUE });
      expect(await runTick(engine.ctx, { now: at('2026-03-19T13:00:00Z') })).toMatchObject({ sent: 1 });
      // The worker that claimed it died mid-send: its lease lapses and another worker sends it again.
      await engine.ctx.store.db
        .updateTable('touches')
        .set({ state: 'sending', lease_until: at('2026-03-19T13:05:00Z') })
        .where('step_id', '=', 'late-fee')
        .execute();
      expect(await runTick(engine.ctx, { now: at('2026-03-19T13:10:00Z') })).toMatchObject({ sent: 1 });
      expect((await touchesOf(engine.ctx)).find((t) => t.step_id === 'late-fee')).toMatchObject({
        state: 'sent',
        attempts: 2,
      });
      const charges = await chargesOf(engine);
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ kind: 'late_fee', currency: 'USD' });
      expect(Number(charges[0]?.amount)).toBe(2500);
      expect(JSON.parse(charges[0]?.basis ?? '')).toEqual({
        rule: 'fixed',
        balance: 120_000,
        daysOverdue: 3,
      });
      // Both sends quoted the fee; the balance the billing system reports is untouched.
      const messages = await sandboxMessages(engine.ctx);
      expect(messages).toHaveLength(2);
      for (const m of messages) {
        expect(m.text).toContain('A late fee of $25.00 now applies, bringing what is owed to $1,225.00.');
      }
      expect(await balanceOf(engine)).toBe(120_000);
      expect(await auditOf(engine, 'charge.recorded')).toEqual([
        expect.objectContaining({
          actor: 'dispatcher',
          data: expect.objectContaining({
            invoice: 'INV-1',
            kind: 'late_fee',
            amount: 2500,
            currency: 'USD',
          }),
        }),
      ]);
    });

    it("should accrue interest by the account's local day: 30 days in Tokyo while New York is still on day 29", async () => {
      engine = await openTestEngine(dialect, holdsTestConfig(), at('2026-03-10T00:00:00Z'));
      await seedInvoice(engine.ctx, { number: 'INV-2', dueOn: DUE, timezone: 'Asia/Tokyo' });
      // 09:00 on April 15th in Tokyo is 20:00 on April 14th in New York (the config's zone).
      await runTick(engine.ctx, { now: at('2026-04-15T00:00:00Z') });
      const [charge] = await chargesOf(engine);
      // 1200.00 × 12% / 365 × 30 = 11.8356 → 11.84 (half up, in cents).
      expect(charge).toMatchObject({ kind: 'interest' });
      expect(Number(charge?.amount)).toBe(1184);
      expect(JSON.parse(charge?.basis ?? '')).toEqual({
        rule: 'interest',
        annualPercent: 12,
        balance: 120_000,
        daysOverdue: 30,
      });
      const quoted = (await sandboxMessages(engine.ctx)).filter((m) => m.text.includes('Interest of'));
      expect(quoted).toHaveLength(1);
      expect(quoted[0]?.text).toContain('Interest of $11.84 now applies (12% a year for 30 days past due)');
      expect(await balanceOf(engine)).toBe(120_000);
    });

    it('should offer the early-payment discount until the pay-by date, and not after', async () => {
      engine = await openTestEngine(dialect, holdsTestConfig(), at('2026-03-01T00:00:00Z'));
      await seedInvoice(engine.ctx, { number: 'INV-3', dueOn: DUE });
      await runTick(engine.ctx, { now: at('2026-03-10T13:00:00Z') });
      await runTick(engine.ctx, { now: at('2026-03-13T13:00:00Z') });
      const [early, late] = await sandboxMessages(engine.ctx);
      expect(early?.text).toContain(
        'Pay by Mar 11, 2026 and take 2% off: $1,176.00 instead of the full amount (you save $24.00).',
      );
      expect(late?.text).toContain('INV-3');
      expect(late?.text).not.toContain('take 2% off');
      expect(await chargesOf(engine)).toEqual([]);
    });
  });
}
