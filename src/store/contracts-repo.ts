import type { Kysely, Selectable } from 'kysely';
import type {
  Contract,
  ContractDecision,
  ContractFacts,
  ContractInvoice,
  ContractKind,
} from '../domain/contract-plan.ts';
import type { ContractsTable, Database } from './database.ts';
import { chunks, loadAccounts } from './facts-repo.ts';

export type ContractRow = Selectable<ContractsTable>;

export function contractFromRow(row: ContractRow): Contract {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: row.kind as ContractKind,
    amount: row.amount === null ? null : Number(row.amount),
    currency: row.currency,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    autoRenew: Boolean(row.auto_renew),
    renewsOn: row.renews_on,
    nextInvoiceOn: row.next_invoice_on,
    decision: row.decision as ContractDecision | null,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    decidedBy: row.decided_by,
    decisionNote: row.decision_note,
  };
}

/** Each contract's most recent invoice, by issue date then number. */
async function lastInvoices(
  db: Kysely<Database>,
  tenantId: string,
  contractIds: string[],
): Promise<Map<string, ContractInvoice>> {
  const result = new Map<string, ContractInvoice>();
  for (const ids of chunks(contractIds)) {
    const rows = await db
      .selectFrom('invoices')
      .select(['contract_id', 'number', 'amount', 'currency', 'issued_on', 'due_on'])
      .where('tenant_id', '=', tenantId)
      .where('contract_id', 'in', ids)
      .execute();
    for (const row of rows) {
      if (row.contract_id === null) continue;
      const seen = result.get(row.contract_id);
      if (
        seen &&
        (seen.issuedOn > row.issued_on || (seen.issuedOn === row.issued_on && seen.number > row.number))
      )
        continue;
      result.set(row.contract_id, {
        number: row.number,
        amount: Number(row.amount),
        currency: row.currency,
        issuedOn: row.issued_on,
        dueOn: row.due_on,
      });
    }
  }
  return result;
}

/** Facts of contract rows: the account, its contacts and the latest invoice. Orphans are left out. */
export async function contractFactsOf(
  db: Kysely<Database>,
  tenantId: string,
  rows: ContractRow[],
): Promise<Map<string, ContractFacts>> {
  const owners = await loadAccounts(
    db,
    tenantId,
    rows.map((r) => r.account_id),
  );
  const invoices = await lastInvoices(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  const result = new Map<string, ContractFacts>();
  for (const row of rows) {
    const owner = owners.get(row.account_id);
    if (owner)
      result.set(row.id, {
        ...owner,
        contract: contractFromRow(row),
        lastInvoice: invoices.get(row.id) ?? null,
      });
  }
  return result;
}

export async function loadContractFacts(
  db: Kysely<Database>,
  tenantId: string,
  ids: string[],
): Promise<Map<string, ContractFacts>> {
  const rows: ContractRow[] = [];
  for (const part of chunks([...new Set(ids)])) {
    rows.push(
      ...(await db
        .selectFrom('contracts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .execute()),
    );
  }
  return contractFactsOf(db, tenantId, rows);
}

export async function findContractRow(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<ContractRow | undefined> {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Asks the planner to look at these contracts again at its next tick. */
export async function replanContracts(db: Kysely<Database>, tenantId: string, ids: string[]): Promise<void> {
  for (const part of chunks([...new Set(ids)])) {
    await db
      .updateTable('contracts')
      .set({ next_plan_at: 0 })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
  }
}
