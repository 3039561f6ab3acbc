import { type AccountBalance, oldestOverdueDays, thresholdVerdict } from '../../domain/account-balance.ts';
import { type AccountHistory, accountHistoryCsv } from '../../domain/account-history.ts';
import { epochDayOf } from '../../domain/calendar-date.ts';
import { formatMoney } from '../../domain/money.ts';
import { accountPauseStop, findPolicy, findStep, guardDelivery } from '../../domain/send-guard.ts';
import type { AccountFacts } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { accountHistoryPdf } from '../../reports/account-history-pdf.ts';
import { loadAccountHistory } from '../../store/account-history-repo.ts';
import { loadAccounts } from '../../store/facts-repo.ts';
import { loadAccountBalances } from '../thresholds/account-balances.ts';
import { thresholdToday } from '../thresholds/reevaluate-thresholds.ts';
import type { Attachment, SubjectHandler } from './subject-handler.ts';

/** An account over a threshold: what it owes now, its history, and the files to hand over. */
export interface AccountAlertFacts extends AccountFacts {
  balance: AccountBalance;
  history: AccountHistory;
  /** The history as CSV and PDF, built only when a step about to go out hands it over. */
  historyFiles: Attachment[];
}

const OWED = new Set(['open', 'partial']);

/**
 * Threshold alerts and escalations: one account over its line. The guard cancels a touch whose account
 * is no longer over the line; an escalation step carries the account's history as CSV and PDF.
 */
export const accountSubject: SubjectHandler<AccountAlertFacts> = {
  kind: 'account',
  async load(db, tenantId, ids, now, about) {
    const accounts = await loadAccounts(db, tenantId, ids);
    const balances = await loadAccountBalances(db, tenantId, [...accounts.keys()]);
    const handOver = new Set(
      about.touches.filter((t) => findStep(about.config, t)?.attachHistory).map((t) => t.subjectId),
    );
    const result = new Map<string, AccountAlertFacts>();
    for (const [id, facts] of accounts) {
      // The message lists the open invoices from the history; alerts are few, so it is read per account.
      const history = await loadAccountHistory(db, tenantId, id, facts.account.name);
      result.set(id, {
        ...facts,
        balance: balances.get(id) ?? { outstanding: {}, oldestDueOn: null },
        history,
        historyFiles: handOver.has(id) ? await historyFiles(id, history, now) : [],
      });
    }
    return result;
  },
  guard(touch, facts, now, env) {
    if (!facts) return { kind: 'cancel', reason: 'account no longer exists' };
    const threshold = findPolicy(env.config, touch)?.threshold ?? null;
    if (!threshold)
      return { kind: 'skip', reason: `policy ${touch.policyId} is no longer a threshold policy` };
    const verdict = thresholdVerdict(threshold, facts.balance, thresholdToday(env.config, now));
    if (!verdict.holds) return { kind: 'cancel', reason: `threshold cleared: ${verdict.why}` };
    const paused = accountPauseStop(touch, facts, now);
    if (paused) return paused;
    return guardDelivery(touch, facts, now, env);
  },
  content(touches, factsById, target, env) {
    const facts = factsById.get(touches[0]?.subjectId ?? '');
    if (!facts) throw new Error(`no facts for account ${touches[0]?.subjectId}`);
    const today = zoneClock(target.zone).localDay(env.now);
    const invoices = facts.history.invoices
      .filter((i) => OWED.has(i.status) && i.balance > 0)
      .map((i) => ({ ...i, daysOverdue: today - epochDayOf(i.dueOn) }))
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number.localeCompare(b.number));
    const outstanding = Object.entries(facts.balance.outstanding)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => formatMoney(minor, currency, target.locale))
      .join(' + ');
    const attach = touches.some((t) => findStep(env.config, t)?.attachHistory === true);
    return {
      accountName: facts.account.name,
      invoices,
      details: {
        threshold: {
          outstanding,
          oldest_overdue_days: oldestOverdueDays(facts.balance, today),
          history_attached: attach,
        },
      },
      payUrl: null,
      attachments: attach ? facts.historyFiles : [],
    };
  },
};

async function historyFiles(id: string, history: AccountHistory, now: number): Promise<Attachment[]> {
  const pdf = await accountHistoryPdf(history, now);
  return [
    {
      filename: `${id}-history.csv`,
      contentType: 'text/csv',
      content: Buffer.from(accountHistoryCsv(history)),
    },
    { filename: `${id}-history.pdf`, contentType: 'application/pdf', content: Buffer.from(pdf) },
  ];
}
