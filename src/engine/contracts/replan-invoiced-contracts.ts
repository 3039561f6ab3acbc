import type { Kysely } from 'kysely';
import { replanContracts } from '../../store/contracts-repo.ts';
import type { Database } from '../../store/database.ts';
import { chunks } from '../../store/facts-repo.ts';
import type { ChangeCtx, InvoiceChange } from '../invoice-hooks.ts';

/**
 * An invoice that came in with a contract id is the contract's recurring invoice gone out: its contract
 * is planned again, so the confirmation (a step timed from `issued`) is sent.
 */
export async function replanInvoicedContracts(
  db: Kysely<Database>,
  ctx: ChangeCtx,
  change: InvoiceChange,
): Promise<void> {
  if (change.kind !== 'imported' || change.invoiceIds.length === 0) return;
  const contractIds = new Set<string>();
  for (const ids of chunks(change.invoiceIds)) {
    const rows = await db
      .selectFrom('invoices')
      .select('contract_id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', 'in', ids)
      .where('contract_id', 'is not', null)
      .execute();
    for (const row of rows) if (row.contract_id !== null) contractIds.add(row.contract_id);
  }
  await replanContracts(db, ctx.tenantId, [...contractIds]);
}
