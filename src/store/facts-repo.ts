import type { Kysely } from 'kysely';
import type { Account, Contact, InvoiceFacts } from '../domain/types.ts';
import type { Database } from './database.ts';
import { accountFromRow, contactFromRow, invoiceFromRow } from './fact-rows.ts';
import { promisedUntilByInvoice } from './promises-repo.ts';

const CHUNK = 900;

/** What invoiceFromRow reads; bookkeeping columns stay in the database. */
export const INVOICE_FACT_COLUMNS = [
  'id',
  'number',
  'account_id',
  'amount',
  'balance',
  'currency',
  'issued_on',
  'due_on',
  'status',
  'disputed',
  'paused_until',
  'source',
  'external_id',
  'contract_id',
  'opted_out',
] as const;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Accounts and their contacts for a set of account ids, keyed by account id. */
export async function loadAccounts(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: string[],
): Promise<Map<string, { account: Account; contacts: Contact[] }>> {
  const result = new Map<string, { account: Account; contacts: Contact[] }>();
  const unique = [...new Set(accountIds)];
  for (const ids of chunks(unique)) {
    const accounts = await db
      .selectFrom('accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    for (const row of accounts) result.set(row.id, { account: accountFromRow(row), contacts: [] });
    const contacts = await db
      .selectFrom('contacts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('account_id', 'in', ids)
      .execute();
    // Sorted here, not in SQL: an ORDER BY id would steer SQLite onto the primary key and scan every contact.
    contacts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const row of contacts) result.get(row.account_id)?.contacts.push(contactFromRow(row));
  }
  return result;
}

/** Invoices with their account and contacts; invoices whose account is missing are left out. */
export async function loadInvoiceFacts(
  db: Kysely<Database>,
  tenantId: string,
  invoiceIds: string[],
): Promise<Map<string, InvoiceFacts>> {
  const result = new Map<string, InvoiceFacts>();
  for (const ids of chunks([...new Set(invoiceIds)])) {
    const rows = await db
      .selectFrom('invoices')
      .select(INVOICE_FACT_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    const accounts = await loadAccounts(
      db,
      tenantId,
      rows.map((r) => r.account_id),
    );
    const promised = await promisedUntilByInvoice(
      db,
      tenantId,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      const owner = accounts.get(row.account_id);
      const promisedUntil = promised.get(row.id) ?? null;
      if (owner) result.set(row.id, { invoice: invoiceFromRow(row), ...owner, promisedUntil });
    }
  }
  return result;
}

export { chunks };
