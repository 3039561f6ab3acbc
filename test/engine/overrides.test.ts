import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setAccountPolicy } from '../../src/engine/holds/set-account-policy.ts';
import { setInvoiceOptOut } from '../../src/engine/holds/set-invoice-opt-out.ts';
import { ingestEvent } from '../../src/engine/ingest-event.ts';
import { runTick } from '../../src/engine/run-tick.ts';
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

const sent = async (engine: TestEngine) =>
  (await touchesOf(engine.ctx))
    .filter((t) => t.state === 'sent')
    .map((t) => `${t.step_id}>${t.recipient}`)
    .sort();

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `overrides, opt-outs, auto-pay and disputes on ${dialect}`,
    () => {
      let engine: TestEngine;
      beforeEach(async () => {
        engine = await openTestEngine(dialect, holdsTestConfig(), at('2026-03-12T15:00:00Z'));
        await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: DUE });
      });
      afterEach(() => engine.close());

      it('should switch an account to the policy staff chose, and back', async () => {
        const ctx = { ...engine.ctx, actor: 'cli:ana' };
        expect(await setAccountPolicy({ ctx, input: { accountId: 'acme', policyId: 'gentle' } })).toEqual({
          accountId: 'acme',
          policyId: 'gentle',
          openInvoices: 1,
        });
        await runTick(engine.ctx, { now: at('2026-03-16T13:00:00Z') });
        await runTick(engine.ctx, { now: at('2026-03-17T13:00:00Z') });
        expect(await sent(engine)).toEqual(['soft>acme-billing']);
        await setAccountPolicy({ ctx, input: { accountId: 'acme', policyId: null } });
        await runTick(engine.ctx, { now: at('2026-03-19T13:00:00Z') });
        expect(await sent(engine)).toEqual(['late-fee>acme-billing', 'soft>acme-billing']);
      });

      it('should refuse a policy that is unknown or not an invoice policy, naming the valid ones', async () => {
        for (const policyId of ['gentel', 'disputes']) {
          await expect(
            setAccountPolicy({ ctx: engine.ctx, input: { accountId: 'acme', policyId } }),
          ).rejects.toMatchObject({
            code: 'invalid_input',
            place: { field: 'policy' },
            message: expect.stringContaining('invoice policies: dunning, gentle'),
          });
        }
        await expect(
          setAccountPolicy({ ctx: engine.ctx, input: { accountId: 'nobody', policyId: 'gentle' } }),
        ).rejects.toMatchObject({ code: 'not_found' });
      });

      it("should stop one invoice's client reminders at once and keep the team's steps", async () => {
        // The 3-days-before reminder is planned an hour ahead (the missed 6-days-before one goes out now),
        // then the invoice is opted out.
        await runTick(engine.ctx, { now: at('2026-03-13T12:30:00Z') });
        await engine.ctx.store.db.updateTable('accounts').set({ owner: 'ana' }).execute();
        const result = await setInvoiceOptOut({
          ctx: engine.ctx,
          input: { invoiceNumber: 'INV-1', optedOut: true },
        });
        expect(result).toEqual({ invoiceNumber: 'INV-1', optedOut: true, cancelledTouches: 1 });
        expect((await touchesOf(engine.ctx)).find((t) => t.step_id === 'reminder')).toMatchObject({
          step_id: 'reminder',
          state: 'cancelled',
          reason: 'client reminders turned off for this invoice',
        });
        for (const now of ['2026-03-13T13:00:00Z', '2026-03-16T13:00:00Z', '2026-03-21T13:00:00Z']) {
          await runTick(engine.ctx, { now: at(now) });
        }
        expect(await sent(engine)).toEqual(['owner-check>ana', 'upcoming>acme-billing']);
      });

      it('should skip steps before the due date for an account on auto-pay, and send them to another', async () => {
        await seedInvoice(engine.ctx, { account: 'globex', number: 'INV-2', dueOn: DUE });
        await engine.ctx.store.db
          .updateTable('accounts')
          .set({ auto_pay: 1 })
          .where('id', '=', 'acme')
          .execute();
        await runTick(engine.ctx, { now: at('2026-03-13T13:00:00Z') });
        expect(await sent(engine)).toEqual(['reminder>globex-billing']);
        await runTick(engine.ctx, { now: at('2026-03-16T13:00:00Z') });
        expect(await sent(engine)).toEqual([
          'due>acme-billing',
          'due>globex-billing',
          'reminder>globex-billing',
        ]);
      });

      it('should tell the team of a dispute and send the client nothing while it is open', async () => {
        await runTick(engine.ctx, { now: at('2026-03-13T12:30:00Z') });
        engine.setNow(at('2026-03-13T12:40:00Z'));
        const result = await ingestEvent({
          ctx: engine.ctx,
          input: { id: 'evt-1', type: 'invoice.disputed', data: { invoice_number: 'INV-1' } },
        });
        expect(result.effect).toContain('1 reminder(s) cancelled');
        await runTick(engine.ctx, { now: at('2026-03-13T12:40:00Z') });
        const before = ['tell-team>ana', 'tell-team>bo', 'upcoming>acme-billing'];
        expect(await sent(engine)).toEqual(before);
        for (const now of ['2026-03-16T13:00:00Z', '2026-03-19T13:00:00Z']) {
          await runTick(engine.ctx, { now: at(now) });
        }
        expect(await sent(engine)).toEqual(before);
        const notice = (await sandboxMessages(engine.ctx)).find((m) =>
          m.subject.startsWith('Invoice disputed'),
        );
        expect(notice?.subject).toBe('Invoice disputed: Account acme, INV-1');
      });
    },
  );
}
