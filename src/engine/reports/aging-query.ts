import { type Kysely, sql } from 'kysely';
import {
  AGING_BUCKETS,
  type Aging,
  type AgingBucket,
  agingCuts,
  agingOf,
  type OverdueAccount,
} from '../../domain/aging.ts';
import type { CalendarDate } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';

const TOP = 10;

/**
 * The book's aging on `today`, summed by the database: balances of unpaid invoices per currency and
 * bucket, and the largest overdue accounts (per currency: money is never added across currencies).
 * Two grouped queries, whatever the number of invoices.
 */
export async function loadAging(db: Kysely<Database>, tenantId: string, today: CalendarDate): Promise<Aging> {
  const cuts = agingCuts(today);
  const bucket = sql<string>`case
    when due_on >= ${cuts.current} then 'current'
    when due_on >= ${cuts.d30} then '1-30'
    when due_on >= ${cuts.d60} then '31-60'
    when due_on >= ${cuts.d90} then '61-90'
    else '90+' end`;
  const { rows } = await sql<{ currency: string; bucket: string; total: number | string }>`
    select currency, ${bucket} as bucket, sum(balance) as total
    from invoices
    where tenant_id = ${tenantId} and status in ('open', 'partial') and balance > 0
    group by 1, 2`.execute(db);
  const top = await sql<{
    account_id: string;
    name: string | null;
    currency: string;
    overdue: number | string;
    oldest: string;
  }>`
    select i.account_id, a.name, i.currency, sum(i.balance) as overdue, min(i.due_on) as oldest
    from invoices i left join accounts a on a.tenant_id = i.tenant_id and a.id = i.account_id
    where i.tenant_id = ${tenantId} and i.status in ('open', 'partial') and i.balance > 0
      and i.due_on < ${cuts.current}
    group by i.account_id, a.name, i.currency
    order by overdue desc, oldest
    limit ${TOP}`.execute(db);
  return agingOf(
    rows.map((r) => ({
      currency: r.currency,
      bucket: (AGING_BUCKETS as readonly string[]).includes(r.bucket) ? (r.bucket as AgingBucket) : '90+',
      total: Number(r.total),
    })),
    top.rows.map(
      (r): OverdueAccount => ({
        accountId: r.account_id,
        name: r.name ?? r.account_id,
        currency: r.currency,
        overdue: Number(r.overdue),
        oldestDueOn: r.oldest,
      }),
    ),
    TOP,
  );
}
