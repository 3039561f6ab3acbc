import type { Kysely } from 'kysely';
import type { DulyConfig } from '../domain/config.ts';
import type { Instant } from '../domain/types.ts';
import type { Database } from '../store/database.ts';
import { replanInvoicedContracts } from './contracts/replan-invoiced-contracts.ts';
import { tellTeamOfDispute } from './holds/dispute-notice.ts';
import { keepPaidPromises } from './holds/keep-paid-promises.ts';
import { paymentChangeHook } from './payments/payment-change-hook.ts';
import { thresholdChangeHook } from './thresholds/threshold-change-hook.ts';

/** Who changed invoices, when, and under which config: what a hook needs to react in the same transaction. */
export interface ChangeCtx {
  tenantId: string;
  actor: string;
  now: Instant;
  config: DulyConfig;
}

/** What changed: balances (a payment, an import), a status (paid, void, written off) or a dispute. */
export interface InvoiceChange {
  kind: 'payment' | 'closed' | 'disputed' | 'dispute_resolved' | 'imported';
  invoiceIds: string[];
  accountIds: string[];
}

/**
 * Reacts to changed invoices inside the transaction that changed them (close a task, keep a promise,
 * re-check an account's threshold, tell the team of a dispute), so nothing is seen half done.
 */
export type InvoiceChangeHook = (
  db: Kysely<Database>,
  ctx: ChangeCtx,
  change: InvoiceChange,
) => Promise<void>;

/** Every hook, in the order they run. A trigger that reacts to invoice changes adds itself here. */
export const INVOICE_CHANGE_HOOKS: InvoiceChangeHook[] = [
  keepPaidPromises,
  tellTeamOfDispute,
  thresholdChangeHook,
  replanInvoicedContracts,
  paymentChangeHook,
];

export async function afterInvoicesChanged(
  db: Kysely<Database>,
  ctx: ChangeCtx,
  change: InvoiceChange,
): Promise<void> {
  if (change.invoiceIds.length === 0 && change.accountIds.length === 0) return;
  for (const hook of INVOICE_CHANGE_HOOKS) await hook(db, ctx, change);
}
