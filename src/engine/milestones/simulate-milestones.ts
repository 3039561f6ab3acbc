import { planMilestone } from '../../domain/milestone-plan.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import { withAccounts } from '../../store/milestones-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import type { TimelineEntry } from '../simulate-timeline.ts';
import { timelineEntry } from '../timeline-entry.ts';

const MAX_PLANS_PER_MILESTONE = 100;

/**
 * What milestones waiting for the client (or just decided) would send between two instants if nobody
 * answered: the planner run forward, skipping what the outbox already holds. Writes nothing.
 */
export async function simulateMilestones(
  ctx: EngineCtx,
  from: Instant,
  to: Instant,
): Promise<TimelineEntry[]> {
  const { db } = ctx.store;
  const rows = await db
    .selectFrom('milestones')
    .selectAll()
    .where('tenant_id', '=', ctx.tenantId)
    .where('state', '!=', 'pending')
    .where('ready_at', 'is not', null)
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const facts = await withAccounts(db, ctx.tenantId, rows);
  const known = await db
    .selectFrom('touches')
    .select('dedupe_key')
    .where('tenant_id', '=', ctx.tenantId)
    .where('subject_kind', '=', 'milestone')
    .execute();
  const seen = new Set(known.map((k) => k.dedupe_key));
  const entries: TimelineEntry[] = [];
  for (const one of facts.values()) {
    const names = new Map(one.contacts.map((c) => [c.id, c.name]));
    const add = (t: PlannedTouch) => {
      if (seen.has(t.dedupeKey) || t.dueAt > to) return;
      seen.add(t.dedupeKey);
      entries.push(
        timelineEntry(t, {
          trigger: 'milestone',
          subject: one.milestone.id,
          account: one.account.name,
          names,
        }),
      );
    };
    let at: Instant | null = from;
    for (let i = 0; at !== null && at <= to && i < MAX_PLANS_PER_MILESTONE; i += 1) {
      const plan = planMilestone(ctx.config.policies, one, at, ctx.runtime.planEnv);
      plan.touches.forEach(add);
      at = plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, at + 1);
    }
  }
  return entries;
}
