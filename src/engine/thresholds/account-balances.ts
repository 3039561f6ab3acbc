import { type Kysely, sql } from 'kysely';
import { type AccountBalance, accountBalance, type BalanceRow } from '../../domain/account-balance.ts';
import { OWED_STATUSES } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { selectInChunks } from '../../store/select-in-chunks.ts';

/**
 * What each account owes, summed by the database (one grouped query per 500 accounts, never the
 * invoices themselves): collectable balances per currency and the oldest unpaid due date. Disputed
 * invoices are left out, as the dunning planner leaves them out.
 */
export async function loadAccountBalances(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
): Promise<Map<string, AccountBalance>> {
  const rows = await selectInChunks([...new Set(accountIds)], (ids) =>
    db
      .selectFrom('invoices')
      .select([
        'account_id',
        'currency',
        sql<number | string>`sum(balance)`.as('outstanding'),
        sql<string>`min(due_on)`.as('oldest_due_on'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('account_id', 'in', ids)
      .where('status', 'in', OWED_STATUSES)
      .where('balance', '>', 0)
      .where('disputed', '=', 0)
      .groupBy(['account_id', 'currency'])
      .execute(),
  );
  const byAccount = new Map<string, BalanceRow[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account_id) ?? [];
    byAccount.set(row.account_id, list);
    list.push({
      currency: row.currency,
      outstanding: Number(row.outstanding),
      oldestDueOn: row.oldest_due_on,
    });
  }
  const result = new Map<string, AccountBalance>();
  for (const id of accountIds) result.set(id, accountBalance(byAccount.get(id) ?? []));
  return result;
}
