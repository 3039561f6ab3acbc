import { type Kysely, sql } from 'kysely';
import { dateOfEpochDay, epochDayOf } from '../../domain/calendar-date.ts';
import type { Policy } from '../../domain/config.ts';
import { OWED_STATUSES } from '../../domain/types.ts';
import { lastThresholdCheck, recordThresholdCheck } from '../../store/alert-states-repo.ts';
import type { Database } from '../../store/database.ts';
import { reevaluateThresholds, type ThresholdScope, thresholdToday } from './reevaluate-thresholds.ts';

/**
 * Days pass without any change to an invoice, so once per local day each `oldest_overdue_days_gte`
 * policy looks at the accounts whose unpaid invoices became N days overdue since its last look: only
 * the invoices due on those few days are read (an index on unpaid due dates), not the whole book.
 */
export async function checkOverdueDays(
  db: Kysely<Database>,
  scope: ThresholdScope,
  policies: readonly Policy[],
): Promise<void> {
  const today = thresholdToday(scope.config, scope.now);
  const todayDate = dateOfEpochDay(today);
  for (const policy of policies) {
    const days = policy.threshold?.oldestOverdueDaysGte ?? null;
    if (days === null) continue;
    const last = await lastThresholdCheck(db, scope.tenantId, policy.id);
    if (last !== null && last >= todayDate) continue;
    // Due on or before this day: at least N days overdue today. After the last look's day: not seen yet.
    const upper = dateOfEpochDay(today - days);
    const lower = last === null ? null : dateOfEpochDay(epochDayOf(last) - days);
    let query = db
      .selectFrom('invoices')
      .select(sql<string>`distinct account_id`.as('account_id'))
      .where('tenant_id', '=', scope.tenantId)
      .where('status', 'in', OWED_STATUSES)
      .where('due_on', '<=', upper)
      .where('balance', '>', 0);
    if (lower !== null) query = query.where('due_on', '>', lower);
    const rows = await query.execute();
    await reevaluateThresholds(
      db,
      scope,
      rows.map((r) => r.account_id),
    );
    await recordThresholdCheck(db, scope.tenantId, policy.id, todayDate);
  }
}
