import { planThresholdAlert } from '../../domain/threshold-alert.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import { allAlertStates } from '../../store/alert-states-repo.ts';
import { loadAccounts } from '../../store/facts-repo.ts';
import type { TimelineEntry } from '../simulate-timeline.ts';
import { timelineEntry } from '../timeline-entry.ts';
import type { TriggerSimulator } from '../triggers/index.ts';
import { thresholdPolicies } from './reevaluate-thresholds.ts';

const MAX_PLANS_PER_ALERT = 500;

/**
 * The alerts of accounts over a threshold now, run forward as if they stayed over the line (no payment):
 * every repeat and later step up to `to`, skipping what the outbox already holds.
 */
export const simulateThresholdAlerts: TriggerSimulator = async (ctx, from, to) => {
  const policies = thresholdPolicies(ctx.config);
  if (policies.length === 0) return [];
  const { db } = ctx.store;
  const states = await allAlertStates(db, ctx.tenantId);
  const accounts = await loadAccounts(
    db,
    ctx.tenantId,
    states.map((s) => s.accountId),
  );
  const known = await db
    .selectFrom('touches')
    .select('dedupe_key')
    .where('tenant_id', '=', ctx.tenantId)
    .where('subject_kind', '=', 'account')
    .execute();
  const seen = new Set(known.map((k) => k.dedupe_key));
  const entries: TimelineEntry[] = [];
  for (const state of states) {
    const policy = policies.find((p) => p.id === state.policyId);
    const facts = accounts.get(state.accountId);
    if (!policy || !facts) continue;
    const add = (t: PlannedTouch) => {
      if (seen.has(t.dedupeKey) || t.dueAt > to) return;
      seen.add(t.dedupeKey);
      entries.push(
        timelineEntry(t, { trigger: 'threshold', subject: facts.account.name, account: facts.account.name }),
      );
    };
    let at: Instant | null = from;
    for (let i = 0; at !== null && at <= to && i < MAX_PLANS_PER_ALERT; i += 1) {
      const plan = planThresholdAlert({ policy, facts, since: state.since }, at, ctx.runtime.planEnv);
      plan.touches.forEach(add);
      at = plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, at + 1);
    }
  }
  return entries;
};
