import type { InvoiceChangeHook } from '../invoice-hooks.ts';
import { reevaluateThresholds, thresholdPolicies } from './reevaluate-thresholds.ts';

/** Balances changed (a payment, an import, a close, a dispute): the accounts involved are looked at again at once. */
export const thresholdChangeHook: InvoiceChangeHook = async (db, ctx, change) => {
  if (thresholdPolicies(ctx.config).length === 0) return;
  let accountIds = change.accountIds;
  if (accountIds.length === 0 && change.invoiceIds.length > 0) {
    const rows = [];
    for (let i = 0; i < change.invoiceIds.length; i += 500) {
      rows.push(
        ...(await db
          .selectFrom('invoices')
          .select('account_id')
          .where('tenant_id', '=', ctx.tenantId)
          .where('id', 'in', change.invoiceIds.slice(i, i + 500))
          .execute()),
      );
    }
    accountIds = rows.map((r) => r.account_id);
  }
  await reevaluateThresholds(db, ctx, accountIds);
};
