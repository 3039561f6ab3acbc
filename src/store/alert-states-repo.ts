import type { Kysely } from 'kysely';
import type { Instant } from '../domain/types.ts';
import type { Database } from './database.ts';
import { selectInChunks } from './select-in-chunks.ts';

/** An account over a threshold policy's line: since when, and when its alert needs planning again. */
export interface AlertState {
  policyId: string;
  accountId: string;
  since: Instant;
  nextPlanAt: Instant | null;
}

const fromRow = (r: {
  policy_id: string;
  account_id: string;
  since: number;
  next_plan_at: number | null;
}) => ({
  policyId: r.policy_id,
  accountId: r.account_id,
  since: Number(r.since),
  nextPlanAt: r.next_plan_at === null ? null : Number(r.next_plan_at),
});

export async function alertStatesOf(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  accountIds: readonly string[],
): Promise<Map<string, AlertState>> {
  const rows = await selectInChunks(accountIds, (ids) =>
    db
      .selectFrom('alert_states')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('policy_id', '=', policyId)
      .where('account_id', 'in', ids)
      .execute(),
  );
  return new Map(rows.map((r) => [r.account_id, fromRow(r)]));
}

/** Alerts whose next planning instant has come, oldest first. */
export async function dueAlertStates(
  db: Kysely<Database>,
  tenantId: string,
  now: Instant,
  limit: number,
): Promise<AlertState[]> {
  const rows = await db
    .selectFrom('alert_states')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('next_plan_at', '<=', now)
    .orderBy('next_plan_at')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function allAlertStates(db: Kysely<Database>, tenantId: string): Promise<AlertState[]> {
  const rows = await db.selectFrom('alert_states').selectAll().where('tenant_id', '=', tenantId).execute();
  return rows.map(fromRow);
}

/** Starts episodes; an account already over the line keeps its episode (and its `since`). */
export async function startAlertStates(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  accountIds: readonly string[],
  now: Instant,
): Promise<void> {
  for (let i = 0; i < accountIds.length; i += 500) {
    const values = accountIds.slice(i, i + 500).map((accountId) => ({
      tenant_id: tenantId,
      policy_id: policyId,
      account_id: accountId,
      since: now,
      next_plan_at: now,
    }));
    await db
      .insertInto('alert_states')
      .values(values)
      .onConflict((oc) => oc.columns(['tenant_id', 'policy_id', 'account_id']).doNothing())
      .execute();
  }
}

export async function endAlertStates(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  accountIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < accountIds.length; i += 500) {
    await db
      .deleteFrom('alert_states')
      .where('tenant_id', '=', tenantId)
      .where('policy_id', '=', policyId)
      .where('account_id', 'in', accountIds.slice(i, i + 500))
      .execute();
  }
}

export async function setAlertNextPlanAt(
  db: Kysely<Database>,
  tenantId: string,
  state: Pick<AlertState, 'policyId' | 'accountId'>,
  nextPlanAt: Instant | null,
): Promise<void> {
  await db
    .updateTable('alert_states')
    .set({ next_plan_at: nextPlanAt })
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', state.policyId)
    .where('account_id', '=', state.accountId)
    .execute();
}

/** The local day the daily oldest-overdue look last ran for a policy, or null before the first. */
export async function lastThresholdCheck(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('threshold_checks')
    .select('checked_on')
    .where('tenant_id', '=', tenantId)
    .where('policy_id', '=', policyId)
    .executeTakeFirst();
  return row?.checked_on ?? null;
}

export async function recordThresholdCheck(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  checkedOn: string,
): Promise<void> {
  await db
    .insertInto('threshold_checks')
    .values({ tenant_id: tenantId, policy_id: policyId, checked_on: checkedOn })
    .onConflict((oc) => oc.columns(['tenant_id', 'policy_id']).doUpdateSet({ checked_on: checkedOn }))
    .execute();
}
