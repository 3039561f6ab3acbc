import { z } from 'zod';
import { formatMinorPlain } from '../../domain/money.ts';
import { contractFromRow } from '../../store/contracts-repo.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';

export const ListContractsInput = z.object({ account_id: z.string().trim().min(1).optional() }).default({});

/** A contract as the API and `duly contracts --json` show it: amounts in major units as text. */
export interface ContractView {
  id: string;
  account_id: string;
  name: string;
  kind: string;
  amount: string | null;
  currency: string | null;
  starts_on: string | null;
  ends_on: string | null;
  auto_renew: boolean;
  renews_on: string | null;
  next_invoice_on: string | null;
  decision: string | null;
  decided_at: string | null;
  decided_by: string | null;
  decision_note: string | null;
}

/** Every contract, by id; optionally one account's. */
export async function listContracts({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ContractView[]> {
  const { account_id } = parseInput(ListContractsInput, input ?? {});
  let query = ctx.store.db.selectFrom('contracts').selectAll().where('tenant_id', '=', ctx.tenantId);
  if (account_id) query = query.where('account_id', '=', account_id);
  const rows = await query.orderBy('id').execute();
  return rows.map((row) => {
    const c = contractFromRow(row);
    return {
      id: c.id,
      account_id: c.accountId,
      name: c.name,
      kind: c.kind,
      amount: c.amount === null || c.currency === null ? null : formatMinorPlain(c.amount, c.currency),
      currency: c.currency,
      starts_on: c.startsOn,
      ends_on: c.endsOn,
      auto_renew: c.autoRenew,
      renews_on: c.renewsOn,
      next_invoice_on: c.nextInvoiceOn,
      decision: c.decision,
      decided_at: c.decidedAt === null ? null : new Date(c.decidedAt).toISOString(),
      decided_by: c.decidedBy,
      decision_note: c.decisionNote,
    };
  });
}
