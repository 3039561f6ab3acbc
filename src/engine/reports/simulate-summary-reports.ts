import type { TimelineEntry } from '../simulate-timeline.ts';
import type { TriggerSimulator } from '../triggers/index.ts';
import { summaryPolicies, summaryTouches } from './plan-summary-reports.ts';

/** Every run of every summary between two instants, as the team would receive it. */
export const simulateSummaryReports: TriggerSimulator = async (ctx, from, to) => {
  const env = ctx.runtime.planEnv;
  const entries: TimelineEntry[] = [];
  for (const policy of summaryPolicies(ctx.config.policies)) {
    // Planned as at the end of the range: every run in it is then past or due, none dropped as too early.
    const touches = summaryTouches({ ...policy, catchUp: 'all' }, from, to, to, env);
    for (const t of touches) {
      if (t.dueAt < from || t.dueAt > to) continue;
      entries.push({
        at: t.dueAt,
        scheduledAt: t.scheduledAt,
        trigger: 'summary',
        subject: t.subjectId,
        account: '',
        policy: t.policyId,
        step: t.stepId,
        channel: t.channel,
        audience: t.audience,
        recipient: t.recipient,
      });
    }
  }
  return entries;
};
