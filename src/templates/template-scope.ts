import { formatMoney } from '../domain/money.ts';
import { formatCalendarDate, formatLocalDate } from './locale.ts';
import type { RenderInput } from './renderer.ts';

/** Where `{{ invoice_list }}` sits in the rendered body; replaced by a list (text) or a table (HTML). */
export const INVOICE_LIST_MARK = '\uE000';
/** Where the `Subject:` line of a template file ends. */
export const SUBJECT_END_MARK = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** One invoice as a template sees it: every amount and date already written for the reader. */
export interface InvoiceView {
  number: string;
  amount: string;
  balance: string;
  currency: string;
  issued_on: string;
  due_on: string;
  days_overdue: number;
  /** Part of the invoice is paid: the balance is less than the amount. */
  partial: boolean;
}

/** The variables a template can use. Names are snake_case, as finance people write them in Liquid. */
export interface TemplateScope {
  recipient_name: string;
  account_name: string;
  company_name: string;
  invoices: InvoiceView[];
  count: number;
  /** Sum of balances, per currency when there are several (`$1,200.00 + €80.00`). */
  total: string;
  invoice_numbers: string;
  /** Of the most overdue invoice; negative before the due date. */
  days_overdue: number;
  /** Until the earliest due date; 0 once it has passed. */
  days_until_due: number;
  /** The earliest due date. */
  due_on: string;
  pay_url: string | null;
  unsubscribe_url: string;
  invoice_list: string;
  readonly today: string;
}

/** Builds the template variables; `locale` is the reader's Intl locale. */
export function buildScope(input: RenderInput, locale: string): TemplateScope {
  const invoices: InvoiceView[] = [];
  const totals = new Map<string, number>();
  let daysOverdue = Number.NEGATIVE_INFINITY;
  let earliest = input.invoices[0];
  for (const invoice of input.invoices) {
    const balance = formatMoney(invoice.balance, invoice.currency, locale);
    invoices.push({
      number: clean(invoice.number),
      amount:
        invoice.amount === invoice.balance ? balance : formatMoney(invoice.amount, invoice.currency, locale),
      balance,
      currency: invoice.currency,
      issued_on: formatCalendarDate(invoice.issuedOn, locale),
      due_on: formatCalendarDate(invoice.dueOn, locale),
      days_overdue: invoice.daysOverdue,
      partial: invoice.balance < invoice.amount,
    });
    totals.set(invoice.currency, (totals.get(invoice.currency) ?? 0) + invoice.balance);
    if (invoice.daysOverdue > daysOverdue) daysOverdue = invoice.daysOverdue;
    if (earliest && invoice.dueOn < earliest.dueOn) earliest = invoice;
  }
  if (!Number.isFinite(daysOverdue)) daysOverdue = 0;
  const { now, timezone } = input;
  const scope: TemplateScope = {
    recipient_name: clean(input.recipientName),
    account_name: clean(input.accountName),
    company_name: clean(input.companyName),
    invoices,
    count: invoices.length,
    total:
      invoices.length === 1
        ? (invoices[0]?.balance ?? '')
        : [...totals].map(([currency, sum]) => formatMoney(sum, currency, locale)).join(' + '),
    invoice_numbers: invoices.map((invoice) => invoice.number).join(', '),
    days_overdue: daysOverdue,
    days_until_due: Math.max(0, -daysOverdue),
    due_on: earliest ? formatCalendarDate(earliest.dueOn, locale) : '',
    pay_url: input.payUrl === null ? null : clean(input.payUrl),
    unsubscribe_url: clean(input.unsubscribeUrl),
    invoice_list: INVOICE_LIST_MARK,
    // Only formatted when a template asks for it.
    get today() {
      return formatLocalDate(now, locale, timezone);
    },
  };
  // Subject variables are added, never replace the common ones.
  if (input.details) {
    Object.assign(scope, Object.fromEntries(Object.entries(input.details).filter(([k]) => !(k in scope))));
  }
  return scope;
}

/** Values from billing systems must not smuggle in our marks. */
function clean(value: string): string {
  return value.includes(INVOICE_LIST_MARK) || value.includes(SUBJECT_END_MARK)
    ? value.replace(MARKS, '')
    : value;
}
