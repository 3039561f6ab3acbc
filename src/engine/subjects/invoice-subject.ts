import { epochDayOf } from '../../domain/calendar-date.ts';
import { guardTouch } from '../../domain/send-guard.ts';
import type { InvoiceFacts } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import type { SubjectHandler } from './subject-handler.ts';

/** Dunning reminders: one invoice, or a statement of several of one account's invoices due together. */
export const invoiceSubject: SubjectHandler<InvoiceFacts> = {
  kind: 'invoice',
  load: (db, tenantId, ids) => loadInvoiceFacts(db, tenantId, ids),
  guard: guardTouch,
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
      details: {},
      payUrl: null,
      attachments: [],
    };
  },
};
