import { addDays } from '../domain/calendar-date.ts';
import type { CalendarDate } from '../domain/types.ts';
import { upsertContracts } from '../engine/contracts/upsert-contracts.ts';
import { recordPromise } from '../engine/holds/record-promise.ts';
import { markMilestoneReady } from '../engine/milestones/mark-ready.ts';
import { upsertMilestone } from '../engine/milestones/upsert-milestone.ts';
import type { EngineCtx } from '../engine/runtime.ts';

/**
 * The demo's records for every trigger besides dunning, around `today`: a contract ending in five
 * weeks, a subscription renewing in ten days, a retainer invoiced monthly, a milestone waiting for
 * approval and a promise to pay. Together with the invoices, `duly simulate` shows every kind.
 */
export async function seedDemoTriggers(ctx: EngineCtx, today: CalendarDate): Promise<void> {
  const demo = { ...ctx, actor: 'demo' };
  await upsertContracts({
    ctx: demo,
    input: {
      contracts: [
        {
          id: 'C-ACME-SUPPORT',
          account_id: 'acme',
          name: 'Support contract',
          kind: 'contract',
          ends_on: addDays(today, 35),
        },
        {
          id: 'S-SAKURA-SAAS',
          account_id: 'sakura',
          name: 'Analytics subscription',
          kind: 'subscription',
          amount: '49000',
          currency: 'JPY',
          auto_renew: true,
          renews_on: addDays(today, 10),
        },
        {
          id: 'R-NORTHWIND-RETAINER',
          account_id: 'northwind',
          name: 'Monthly retainer',
          kind: 'recurring_job',
          amount: '2400.00',
          currency: 'USD',
          next_invoice_on: addDays(today, 8),
        },
      ],
    },
  });
  await upsertMilestone({
    ctx: demo,
    input: {
      id: 'M-PACIFIC-1',
      account_id: 'pacific',
      title: 'Phase 1 designs',
      amount: '4500.00',
      currency: 'USD',
    },
  });
  await markMilestoneReady({ ctx: demo, input: { id: 'M-PACIFIC-1' } });
  await recordPromise({
    ctx: demo,
    input: {
      invoiceNumber: 'INV-1016',
      amount: '5000',
      promisedOn: addDays(today, 4),
      note: 'said on the phone',
    },
  });
}
