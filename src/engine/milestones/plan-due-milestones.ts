import type { Kysely } from 'kysely';
import { planMilestone } from '../../domain/milestone-plan.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import {
  type MilestoneRow,
  milestonesToPlan,
  setMilestonesNextPlanAt,
  withAccounts,
} from '../../store/milestones-repo.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';
import type { EngineCtx } from '../runtime.ts';

const PAGE = 1000;

/**
 * Plans these milestones at `now` inside the caller's transaction: new touches go into the outbox (a
 * dedupe key already there is a no-op) and each milestone gets its next planning instant. Returns how
 * many touches were new.
 */
export async function planMilestoneRows(
  trx: Kysely<Database>,
  ctx: EngineCtx,
  rows: MilestoneRow[],
  now: Instant,
): Promise<number> {
  const facts = await withAccounts(trx, ctx.tenantId, rows);
  const touches: PlannedTouch[] = [];
  // Milestones marked ready together look again together: one update per distinct instant.
  const byNext = new Map<number | null, string[]>();
  for (const row of rows) {
    const one = facts.get(row.id);
    const plan = one
      ? planMilestone(ctx.config.policies, one, now, ctx.runtime.planEnv)
      : { touches: [], nextPlanAt: null };
    touches.push(...plan.touches);
    // Never due again at this same instant: the page loop would not end.
    const next = plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, now + 1);
    const ids = byNext.get(next);
    if (ids) ids.push(row.id);
    else byNext.set(next, [row.id]);
  }
  const planned = await insertPlannedTouches(trx, ctx.tenantId, touches, now);
  for (const [next, ids] of byNext) await setMilestonesNextPlanAt(trx, ctx.tenantId, ids, next);
  return planned;
}

/** The milestone trigger's planner: every milestone whose next planning instant has come, in one transaction. */
export async function planDueMilestones(ctx: EngineCtx, now: Instant): Promise<number> {
  return ctx.store.db.transaction().execute(async (trx) => {
    let planned = 0;
    for (;;) {
      const rows = await milestonesToPlan(trx, ctx.tenantId, now, PAGE);
      if (rows.length === 0) return planned;
      planned += await planMilestoneRows(trx, ctx, rows, now);
    }
  });
}
