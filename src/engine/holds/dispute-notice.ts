import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import type { InvoiceChangeHook } from '../invoice-hooks.ts';
import { planEnvFor } from '../plan-env.ts';
import { planInvoiceNotices } from './plan-invoice-notices.ts';

/**
 * A dispute opened: client reminders have already stopped (setDisputed cancels them); the team is told
 * through the `dispute` policies' steps, timed from now, in the same transaction.
 */
export const tellTeamOfDispute: InvoiceChangeHook = async (db, ctx, change) => {
  if (change.kind !== 'disputed' || change.invoiceIds.length === 0) return;
  if (!ctx.config.policies.some((p) => p.trigger === 'dispute')) return;
  const facts = await loadInvoiceFacts(db, ctx.tenantId, change.invoiceIds);
  const env = planEnvFor(ctx.config);
  for (const invoiceFacts of facts.values()) {
    await planInvoiceNotices(
      db,
      ctx.tenantId,
      env,
      { trigger: 'dispute', facts: invoiceFacts, at: ctx.now, occasion: `dispute-${ctx.now}` },
      ctx.now,
    );
  }
};
