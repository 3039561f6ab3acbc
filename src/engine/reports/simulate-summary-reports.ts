import type { TimelineEntry } from '../simulate-timeline.ts';
import { timelineEntry } from '../timeline-entry.ts';
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
      entries.push(timelineEntry(t, { trigger: 'summary', subject: t.subjectId, account: '' }));
    }
  }
  return entries;
};
