import type { Policy } from '../../domain/config.ts';
import { stepOccurrences } from '../../domain/occurrences.ts';
import { reportRuns } from '../../domain/report-schedule.ts';
import { type PlanEnv, scheduleSteps } from '../../domain/schedule-steps.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';
import type { TriggerPlanner } from '../triggers/index.ts';
import { REPORT_ACCOUNT, reportSubjectId } from './report-subjects.ts';

/** A run missed by more than this (Duly was down) is not sent late: the next run says the same, fresher. */
const LATE_RUN_MS = 24 * 3_600_000;

export const summaryPolicies = (policies: readonly Policy[]) =>
  policies.filter((p) => p.trigger === 'summary' && p.schedule !== null);

/**
 * The touches of a summary's runs that fall in [from, to], each run timed from its instant in the team's
 * zone (`period`, `period+1d`), planned as if at `now`. Pure.
 */
export function summaryTouches(
  policy: Policy,
  from: Instant,
  to: Instant,
  now: Instant,
  env: PlanEnv,
): PlannedTouch[] {
  if (!policy.schedule) return [];
  const touches: PlannedTouch[] = [];
  for (const run of reportRuns(policy.schedule, env.config.timezone, from, to)) {
    const occurrences = stepOccurrences(policy, { period: { at: run.at } }, to);
    const subject = { kind: 'report' as const, id: reportSubjectId(policy.id, run.period), accountId: '*' };
    const facts = { account: REPORT_ACCOUNT, contacts: [] };
    touches.push(...scheduleSteps(policy, subject, facts, occurrences, now, env).touches);
  }
  return touches;
}

/** Plans the summaries whose run is due or within the plan-ahead window; the outbox's dedupe keys make it idempotent. */
export const planSummaryReports: TriggerPlanner = async (ctx, now) => {
  const env = ctx.runtime.planEnv;
  const ahead = now + ctx.config.dispatch.planAheadMs;
  const touches = summaryPolicies(ctx.config.policies).flatMap((policy) =>
    summaryTouches(policy, now - LATE_RUN_MS, ahead, now, env),
  );
  if (touches.length === 0) return 0;
  return insertPlannedTouches(ctx.store.db, ctx.tenantId, touches, now);
};
