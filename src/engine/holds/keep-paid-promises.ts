import { openPromisesOf } from '../../store/promises-repo.ts';
import type { InvoiceChangeHook } from '../invoice-hooks.ts';
import { planEnvFor } from '../plan-env.ts';
import { settlePromises } from './settle-promises.ts';

/**
 * A payment, a closing or an import that pays what was promised keeps the promise at once (and one that
 * voids the invoice withdraws it), in the same transaction; a promise is only broken by the tick.
 */
export const keepPaidPromises: InvoiceChangeHook = async (db, ctx, change) => {
  if (change.kind !== 'payment' && change.kind !== 'closed' && change.kind !== 'imported') return;
  if (change.invoiceIds.length === 0) return;
  const open = await openPromisesOf(db, ctx.tenantId, change.invoiceIds);
  await settlePromises(
    db,
    { tenantId: ctx.tenantId, actor: ctx.actor, now: ctx.now, env: planEnvFor(ctx.config) },
    open,
    false,
  );
};
