import type { Aging } from '../../domain/aging.ts';
import { findPolicy, guardDelivery } from '../../domain/send-guard.ts';
import type { AccountFacts, CalendarDate } from '../../domain/types.ts';
import { loadAging } from '../reports/aging-query.ts';
import { REPORT_ACCOUNT, reportPeriodOf } from '../reports/report-subjects.ts';
import { summaryDetails } from '../reports/summary-content.ts';
import type { SubjectHandler } from './subject-handler.ts';

export interface ReportFacts extends AccountFacts {
  period: CalendarDate;
  aging: Aging;
}

/** Summary reports to staff: the book's aging, computed by the database when the report goes out. */
export const reportSubject: SubjectHandler<ReportFacts> = {
  kind: 'report',
  async load(db, tenantId, ids) {
    const result = new Map<string, ReportFacts>();
    const byPeriod = new Map<string, Aging>();
    for (const id of ids) {
      const period = reportPeriodOf(id);
      if (!period) continue;
      let aging = byPeriod.get(period);
      if (!aging) {
        // Days overdue are counted on the report's own day, in the team's zone.
        aging = await loadAging(db, tenantId, period);
        byPeriod.set(period, aging);
      }
      result.set(id, { account: REPORT_ACCOUNT, contacts: [], period, aging });
    }
    return result;
  },
  guard(touch, facts, now, env) {
    if (!facts) return { kind: 'cancel', reason: `report ${touch.subjectId} is not a report period` };
    if (findPolicy(env.config, touch)?.trigger !== 'summary')
      return { kind: 'skip', reason: `policy ${touch.policyId} is no longer a summary policy` };
    if (touch.audience !== 'team') return { kind: 'skip', reason: 'summaries go to the team only' };
    return guardDelivery(touch, facts, now, env);
  },
  content(touches, factsById, target, env) {
    const facts = factsById.get(touches[0]?.subjectId ?? '');
    if (!facts) throw new Error(`no facts for report ${touches[0]?.subjectId}`);
    return {
      accountName: '',
      invoices: [],
      details: summaryDetails(facts.aging, facts.period, env.now, target.locale, target.zone),
      payUrl: null,
      attachments: [],
    };
  },
};
