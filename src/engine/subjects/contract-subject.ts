import { epochDayOf } from '../../domain/calendar-date.ts';
import { type ContractFacts, contractTouchMoot, touchPeriodDate } from '../../domain/contract-plan.ts';
import { formatMoney } from '../../domain/money.ts';
import { accountPauseStop, findStep, type GuardDecision, guardDelivery } from '../../domain/send-guard.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { loadContractFacts } from '../../store/contracts-repo.ts';
import { formatCalendarDate, resolveLocale } from '../../templates/locale.ts';
import type { SubjectHandler } from './subject-handler.ts';

/**
 * Contract notices: a recurring invoice coming up or gone out, a contract about to end (for the team),
 * a subscription about to renew. A notice is cancelled once its period is over or its date moved.
 */
export const contractSubject: SubjectHandler<ContractFacts> = {
  kind: 'contract',
  load: (db, tenantId, ids) => loadContractFacts(db, tenantId, ids),
  guard(touch, facts, now, env): GuardDecision {
    if (!facts) return { kind: 'cancel', reason: 'contract no longer exists' };
    const step = findStep(env.config, touch);
    if (step) {
      const moot = contractTouchMoot(
        touch,
        step.at.anchor,
        facts,
        zoneClock(env.config.timezone).localDay(now),
      );
      if (moot) return { kind: 'cancel', reason: moot };
    }
    return accountPauseStop(touch, facts, now) ?? guardDelivery(touch, facts, now, env);
  },
  content(touches, factsById, target, env) {
    const touch = touches[0];
    const facts = touch ? factsById.get(touch.subjectId) : undefined;
    if (!touch || !facts)
      return { accountName: '', invoices: [], details: {}, payUrl: null, attachments: [] };
    const { contract, lastInvoice } = facts;
    const locale = resolveLocale(target.locale).intl;
    const date = (value: string | null) => (value === null ? '' : formatCalendarDate(value, locale));
    // The date this notice is about; a confirmation of an invoice counts to the next one.
    const about = touchPeriodDate(touch) ?? contract.nextInvoiceOn ?? contract.endsOn;
    const today = zoneClock(target.zone).localDay(env.now);
    return {
      accountName: facts.account.name,
      invoices: [],
      details: {
        contract: {
          id: contract.id,
          name: contract.name,
          kind: contract.kind.replace('_', ' '),
          amount:
            contract.amount === null || contract.currency === null
              ? ''
              : formatMoney(contract.amount, contract.currency, locale),
          ends_on: date(contract.endsOn),
          renews_on: date(contract.renewsOn),
          next_invoice_on: date(contract.nextInvoiceOn),
          days_left: about === null ? 0 : Math.max(0, epochDayOf(about) - today),
          invoice: lastInvoice
            ? {
                number: lastInvoice.number,
                amount: formatMoney(lastInvoice.amount, lastInvoice.currency, locale),
                due_on: date(lastInvoice.dueOn),
              }
            : null,
        },
      },
      payUrl: null,
      attachments: [],
    };
  },
};
