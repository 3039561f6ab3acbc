import { DulyError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import { formatCalendarDate } from '../../templates/locale.ts';
import type { EngineCtx } from '../runtime.ts';
import { readPayToken } from './pay-link.ts';

export interface PayPage {
  invoiceNumber: string;
  balance: string;
  dueOn: string;
  owed: boolean;
}

/** What a client's pay link shows: the invoice, what is left to pay and by when. */
export async function describePayLink({
  ctx,
  input,
}: {
  ctx: EngineCtx;
  input: { token: string };
}): Promise<PayPage> {
  const read = readPayToken(ctx.runtime.linkSecret, input.token);
  if (!read || read.tenantId !== ctx.tenantId) {
    throw new DulyError('unauthorized', 'this pay link is not valid; use the link from your latest message');
  }
  const invoice = await ctx.store.db
    .selectFrom('invoices')
    .leftJoin('accounts', (j) =>
      j
        .onRef('accounts.id', '=', 'invoices.account_id')
        .onRef('accounts.tenant_id', '=', 'invoices.tenant_id'),
    )
    .select([
      'invoices.number',
      'invoices.balance',
      'invoices.currency',
      'invoices.due_on',
      'invoices.status',
    ])
    .select('accounts.locale')
    .where('invoices.tenant_id', '=', ctx.tenantId)
    .where('invoices.id', '=', read.invoiceId)
    .executeTakeFirst();
  if (!invoice) throw new DulyError('not_found', 'this invoice no longer exists');
  const locale = invoice.locale ?? ctx.config.locale;
  return {
    invoiceNumber: invoice.number,
    balance: formatMoney(Number(invoice.balance), invoice.currency, locale),
    dueOn: formatCalendarDate(invoice.due_on, locale),
    owed: (invoice.status === 'open' || invoice.status === 'partial') && Number(invoice.balance) > 0,
  };
}
