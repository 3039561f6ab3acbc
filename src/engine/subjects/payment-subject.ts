import { epochDayOf } from '../../domain/calendar-date.ts';
import { formatMoney } from '../../domain/money.ts';
import { guardPaymentTouch } from '../../domain/payment-failure.ts';
import type { Instant } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { formatCalendarDate } from '../../templates/locale.ts';
import { invoiceUrl, payUrl } from '../payments/pay-link.ts';
import { loadPaymentFacts, type PaymentSubjectFacts } from '../payments/payment-facts.ts';
import type { SubjectHandler } from './subject-handler.ts';

const moments = new Map<string, Intl.DateTimeFormat>();

function formatMoment(at: Instant, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = moments.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    moments.set(key, format);
  }
  return format.format(at);
}

/** A failed payment: the team's alert and follow-up, the client's notice with a way to pay, the recovery. */
export const paymentSubject: SubjectHandler<PaymentSubjectFacts> = {
  kind: 'payment',
  load: (db, tenantId, ids) => loadPaymentFacts(db, tenantId, ids),
  guard: guardPaymentTouch,
  content(touches, factsById, target, env) {
    const facts = factsById.get(touches[0]?.subjectId ?? '');
    if (!facts) {
      return {
        accountName: touches[0]?.accountId ?? '',
        invoices: [],
        details: {},
        payUrl: null,
        attachments: [],
      };
    }
    const { invoice, payment, task } = facts;
    const locale = target.locale;
    const recovered = payment.recoveredAt !== null && payment.recoveredAt <= env.now;
    const link = invoiceUrl(env.publicUrl, invoice.number);
    const owed =
      !recovered && (invoice.status === 'open' || invoice.status === 'partial') && invoice.balance > 0;
    return {
      accountName: facts.account.name,
      invoices: [
        {
          number: invoice.number,
          amount: invoice.amount,
          balance: invoice.balance,
          currency: invoice.currency,
          issuedOn: invoice.issuedOn,
          dueOn: invoice.dueOn,
          daysOverdue: zoneClock(target.zone).localDay(env.now) - epochDayOf(invoice.dueOn),
        },
      ],
      details: {
        payment: {
          amount: formatMoney(payment.amount, payment.currency, locale),
          reason: payment.reason ?? '',
          failed_at: formatMoment(payment.failedAt, locale, target.zone),
          recovered,
          recovered_at: recovered ? formatMoment(payment.recoveredAt as Instant, locale, target.zone) : '',
          invoice_url: link,
        },
        task: {
          open: task !== null && task.state === 'open',
          title: task?.title ?? '',
          owner: task?.owner ?? '',
          due_on: task ? formatCalendarDate(task.due_on, locale) : '',
          url: link,
        },
      },
      payUrl: owed ? payUrl(env.publicUrl, env.linkSecret, env.tenantId, invoice.id) : null,
      attachments: [],
    };
  },
};
