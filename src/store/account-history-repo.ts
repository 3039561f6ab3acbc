import type { Kysely } from 'kysely';
import type { AccountHistory } from '../domain/account-history.ts';
import type { Database } from './database.ts';
import { selectInChunks } from './select-in-chunks.ts';

/** The most messages a history lists: the latest ones, so an old account's hand-off stays readable. */
const MAX_MESSAGES = 2000;

/** An account's invoices, the messages sent about it (any subject) and its payments, oldest first. */
export async function loadAccountHistory(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  accountName: string,
): Promise<AccountHistory> {
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'issued_on', 'due_on', 'amount', 'balance', 'currency', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .execute();
  invoices.sort((a, b) => a.issued_on.localeCompare(b.issued_on) || a.number.localeCompare(b.number));
  // Through the subject index (invoices and the account itself): touches have no index by account.
  const messages = await selectInChunks([accountId, ...invoices.map((i) => i.id)], (ids) =>
    db
      .selectFrom('touches')
      .select(['step_id', 'channel', 'audience', 'recipient', 'state', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('subject_id', 'in', ids)
      .where('account_id', '=', accountId)
      .where('state', 'in', ['sent', 'delivered', 'failed', 'dead'])
      .execute(),
  );
  messages.sort((a, b) => Number(a.updated_at) - Number(b.updated_at));
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  const payments = await selectInChunks(
    invoices.map((i) => i.id),
    (ids) =>
      db
        .selectFrom('payments')
        .select(['invoice_id', 'amount', 'currency', 'status', 'paid_at'])
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', 'in', ids)
        .execute(),
  );
  return {
    accountName,
    invoices: invoices.map((i) => ({
      number: i.number,
      issuedOn: i.issued_on,
      dueOn: i.due_on,
      amount: Number(i.amount),
      balance: Number(i.balance),
      currency: i.currency,
      status: i.status,
    })),
    messages: messages.slice(-MAX_MESSAGES).map((m) => ({
      at: Number(m.updated_at),
      step: m.step_id,
      channel: m.channel,
      recipient: `${m.audience}:${m.recipient}`,
      state: m.state,
    })),
    payments: payments
      .map((p) => ({
        at: Number(p.paid_at),
        invoice: numbers.get(p.invoice_id) ?? p.invoice_id,
        amount: Number(p.amount),
        currency: p.currency,
        status: p.status,
      }))
      .sort((a, b) => a.at - b.at),
  };
}
