import { epochDayOf } from '../../domain/calendar-date.ts';
import { conditionHolds } from '../../domain/conditions.ts';
import type { DulyConfig } from '../../domain/config.ts';
import { findPolicy, findStep, guardDelivery, guardTouch } from '../../domain/send-guard.ts';
import type { InvoiceFacts, Touch } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import { invoiceChargeDetails } from '../holds/invoice-charge-details.ts';
import type { SubjectHandler } from './subject-handler.ts';

/** Policies whose touches tell the team about an invoice being disputed or promised: holds do not stop them. */
const NOTICE_TRIGGERS = new Set(['dispute', 'promise_broken']);

const isNotice = (touch: Touch, config: DulyConfig) =>
  NOTICE_TRIGGERS.has(findPolicy(config, touch)?.trigger ?? '');

/** Dunning reminders: one invoice, or a statement of several of one account's invoices due together. */
export const invoiceSubject: SubjectHandler<InvoiceFacts> = {
  kind: 'invoice',
  load: (db, tenantId, ids) => loadInvoiceFacts(db, tenantId, ids),
  guard(touch, facts, now, env) {
    if (!isNotice(touch, env.config)) return guardTouch(touch, facts, now, env);
    // A team notice of a dispute or a broken promise: only an invoice that is gone or settled stops it.
    if (!facts) return { kind: 'cancel', reason: 'invoice no longer exists' };
    const { invoice, account } = facts;
    if (invoice.status !== 'open' && invoice.status !== 'partial') {
      return { kind: 'cancel', reason: `invoice ${invoice.status.replace('_', ' ')}` };
    }
    const stillHolds = (localDay: number) =>
      conditionHolds(
        findStep(env.config, touch)?.when ?? null,
        invoice,
        account,
        localDay - epochDayOf(invoice.dueOn),
      );
    return guardDelivery(touch, facts, now, env, stillHolds);
  },
  content(touches, factsById, target, env) {
    // One line per invoice, even when two of its steps fell due together.
    const ids = [...new Set(touches.map((t) => t.subjectId))];
    const facts = ids.map((id) => factsById.get(id)).filter((f): f is InvoiceFacts => !!f);
    const today = zoneClock(target.zone).localDay(env.now);
    const invoices = facts
      .map(({ invoice }) => ({
        number: invoice.number,
        amount: invoice.amount,
        balance: invoice.balance,
        currency: invoice.currency,
        issuedOn: invoice.issuedOn,
        dueOn: invoice.dueOn,
        daysOverdue: today - epochDayOf(invoice.dueOn),
      }))
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number.localeCompare(b.number));
    return {
      accountName: facts[0]?.account.name ?? touches[0]?.accountId ?? '',
      invoices,
      details: invoiceChargeDetails(touches, factsById, env.config, target.locale, env.now),
      payUrl: null,
      attachments: [],
    };
  },
};
