import type { Selectable } from 'kysely';
import type { Account, Contact, Invoice, InvoiceStatus } from '../domain/types.ts';
import type { AccountsTable, ContactsTable, InvoicesTable } from './database.ts';

/** Row ↔ domain mapping for the facts the planner and the guards read. */

const parseList = (text: string): string[] => (text ? (JSON.parse(text) as string[]) : []);

export type InvoiceFactRow = Pick<
  Selectable<InvoicesTable>,
  | 'id'
  | 'number'
  | 'account_id'
  | 'amount'
  | 'balance'
  | 'currency'
  | 'issued_on'
  | 'due_on'
  | 'status'
  | 'disputed'
  | 'paused_until'
  | 'source'
  | 'external_id'
  | 'contract_id'
  | 'opted_out'
>;

export function invoiceFromRow(row: InvoiceFactRow): Invoice {
  return {
    id: row.id,
    number: row.number,
    accountId: row.account_id,
    amount: Number(row.amount),
    balance: Number(row.balance),
    currency: row.currency,
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    status: row.status as InvoiceStatus,
    disputed: Boolean(row.disputed),
    pausedUntil: row.paused_until === null ? null : Number(row.paused_until),
    source: row.source,
    externalId: row.external_id,
    contractId: row.contract_id,
    optedOut: Boolean(row.opted_out),
  };
}

export function accountFromRow(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    locale: row.locale,
    currency: row.currency,
    tags: parseList(row.tags),
    owner: row.owner,
    pausedUntil: row.paused_until === null ? null : Number(row.paused_until),
    pauseReason: row.pause_reason,
    autoPay: Boolean(row.auto_pay),
    policyId: row.policy_id,
  };
}

export function contactFromRow(row: Selectable<ContactsTable>): Contact {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    whatsapp: row.whatsapp,
    telegram: row.telegram,
    preferredChannel: row.preferred_channel,
    timezone: row.timezone,
    locale: row.locale,
    optOuts: parseList(row.opt_outs),
  };
}
