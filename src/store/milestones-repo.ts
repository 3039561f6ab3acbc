import type { Kysely, Selectable } from 'kysely';
import type { Milestone, MilestoneFacts, MilestoneState } from '../domain/milestone-plan.ts';
import type { Database, MilestonesTable } from './database.ts';
import { chunks, loadAccounts } from './facts-repo.ts';

export type MilestoneRow = Selectable<MilestonesTable>;

const num = (value: number | string | null): number | null => (value === null ? null : Number(value));

export function milestoneFromRow(row: MilestoneRow): Milestone {
  return {
    id: row.id,
    accountId: row.account_id,
    contractId: row.contract_id,
    title: row.title,
    amount: num(row.amount),
    currency: row.currency,
    state: row.state as MilestoneState,
    readyAt: num(row.ready_at),
    decidedAt: num(row.decided_at),
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
  };
}

export async function findMilestone(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<Milestone | null> {
  const row = await db
    .selectFrom('milestones')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? milestoneFromRow(row) : null;
}

/** Milestones with their account and contacts; a milestone whose account is missing is left out. */
export async function loadMilestoneFacts(
  db: Kysely<Database>,
  tenantId: string,
  ids: string[],
): Promise<Map<string, MilestoneFacts>> {
  const result = new Map<string, MilestoneFacts>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('milestones')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    for (const [id, facts] of await withAccounts(db, tenantId, rows)) result.set(id, facts);
  }
  return result;
}

/** Joins milestone rows to their accounts and contacts, by milestone id. */
export async function withAccounts(
  db: Kysely<Database>,
  tenantId: string,
  rows: MilestoneRow[],
): Promise<Map<string, MilestoneFacts>> {
  const owners = await loadAccounts(
    db,
    tenantId,
    rows.map((r) => r.account_id),
  );
  const result = new Map<string, MilestoneFacts>();
  for (const row of rows) {
    const owner = owners.get(row.account_id);
    if (owner) result.set(row.id, { milestone: milestoneFromRow(row), ...owner });
  }
  return result;
}

/** Every milestone, in id order, optionally only those in one state. */
export async function listMilestones(
  db: Kysely<Database>,
  tenantId: string,
  state: MilestoneState | null = null,
): Promise<Milestone[]> {
  let query = db.selectFrom('milestones').selectAll().where('tenant_id', '=', tenantId);
  if (state) query = query.where('state', '=', state);
  return (await query.orderBy('id').execute()).map(milestoneFromRow);
}

/** Milestones whose next planning instant has come, a page at a time. */
export async function milestonesToPlan(
  db: Kysely<Database>,
  tenantId: string,
  now: number,
  limit: number,
): Promise<MilestoneRow[]> {
  return db
    .selectFrom('milestones')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('next_plan_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function setMilestonesNextPlanAt(
  db: Kysely<Database>,
  tenantId: string,
  ids: string[],
  nextPlanAt: number | null,
): Promise<void> {
  for (const part of chunks(ids)) {
    await db
      .updateTable('milestones')
      .set({ next_plan_at: nextPlanAt })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
  }
}
