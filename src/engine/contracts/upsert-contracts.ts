import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import { type ContractRow, contractFactsOf } from '../../store/contracts-repo.ts';
import type { Database } from '../../store/database.ts';
import { chunks } from '../../store/facts-repo.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';
import { cancelMootContractTouches } from './cancel-moot-contract-touches.ts';
import { ContractFields, type ContractValues } from './contract-input.ts';

export const UpsertContractsInput = z.object({
  contracts: z.array(ContractFields).min(1, 'give at least one contract'),
});

export interface UpsertContractsResult {
  created: number;
  updated: number;
  unchanged: number;
  touchesCancelled: number;
}

/** The stored columns an upsert compares and writes. */
function columnsOf(v: ContractValues) {
  return {
    account_id: v.accountId,
    name: v.name,
    kind: v.kind,
    amount: v.amount,
    currency: v.currency,
    starts_on: v.startsOn,
    ends_on: v.endsOn,
    auto_renew: v.autoRenew ? 1 : 0,
    renews_on: v.renewsOn,
    next_invoice_on: v.nextInvoiceOn,
  };
}

/**
 * Creates or replaces contracts by id (every field but the decision), in one transaction, all or
 * nothing. A changed contract is planned again at the next tick; notices its change makes moot are
 * cancelled at once. A new end date starts a new period: the decision about the old one is cleared.
 */
export async function upsertContracts({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { contracts } = parseInput(UpsertContractsInput, input);
  return saveContracts(ctx, contracts);
}

/** Where each contract came from, so that a refusal names the file and line. */
export interface ContractSource {
  file: string;
  lines: number[];
}

/** One contract by id (PUT /v1/contracts/:id): the same as a list of one, with fields named plainly. */
export async function upsertContract({ ctx, input }: { ctx: Ctx; input: unknown }) {
  return saveContracts(ctx, [parseInput(ContractFields, input)]);
}

export async function saveContracts(
  ctx: Ctx,
  contracts: ContractValues[],
  source: ContractSource | null = null,
): Promise<UpsertContractsResult> {
  const refuse = (index: number, field: string, message: string): never => {
    const line = source?.lines[index];
    const where = source ? `${source.file}:${line}: ${field}: ` : '';
    throw new DulyError('invalid_input', `${where}${message}`, {
      ...(source ? { file: source.file, line } : {}),
      field,
    });
  };
  const ids = new Map<string, number>();
  contracts.forEach((c, index) => {
    const first = ids.get(c.id);
    if (first !== undefined) refuse(index, 'id', `contract "${c.id}" is given twice`);
    ids.set(c.id, index);
  });
  const now = ctx.clock();
  const { tenantId, actor } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const unknown = await firstUnknownAccount(trx, tenantId, contracts);
    if (unknown >= 0) {
      const c = contracts[unknown] as ContractValues;
      refuse(
        unknown,
        'account_id',
        `contract "${c.id}": no account with id "${c.accountId}"; import the account first (duly import)`,
      );
    }
    const stored = new Map<string, ContractRow>();
    for (const part of chunks([...ids.keys()])) {
      const rows = await trx
        .selectFrom('contracts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .execute();
      for (const row of rows) stored.set(row.id, row);
    }
    const result: UpsertContractsResult = { created: 0, updated: 0, unchanged: 0, touchesCancelled: 0 };
    const changed: string[] = [];
    for (const contract of contracts) {
      const values = columnsOf(contract);
      const before = stored.get(contract.id);
      if (!before) {
        await trx
          .insertInto('contracts')
          .values({
            tenant_id: tenantId,
            id: contract.id,
            ...values,
            next_plan_at: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
        result.created += 1;
        changed.push(contract.id);
        await appendAudit(trx, tenantId, [
          { at: now, kind: 'contract.created', subject: `contract:${contract.id}`, actor, data: values },
        ]);
        continue;
      }
      const diff = Object.fromEntries(
        Object.entries(values).filter(([k, v]) => {
          const old = before[k as keyof ContractRow];
          return (old === null ? null : typeof v === 'number' ? Number(old) : old) !== v;
        }),
      );
      if (Object.keys(diff).length === 0) {
        result.unchanged += 1;
        continue;
      }
      const newPeriod = 'ends_on' in diff && before.decision !== null;
      await trx
        .updateTable('contracts')
        .set({
          ...values,
          ...(newPeriod ? { decision: null, decided_at: null, decided_by: null, decision_note: null } : {}),
          next_plan_at: 0,
          updated_at: now,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', contract.id)
        .execute();
      result.updated += 1;
      changed.push(contract.id);
      await appendAudit(trx, tenantId, [
        {
          at: now,
          kind: 'contract.updated',
          subject: `contract:${contract.id}`,
          actor,
          data: { changed: diff, ...(newPeriod ? { decision_cleared: before.decision } : {}) },
        },
      ]);
    }
    for (const part of chunks(changed)) {
      const rows = await trx
        .selectFrom('contracts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .execute();
      for (const f of (await contractFactsOf(trx, tenantId, rows)).values()) {
        result.touchesCancelled += await cancelMootContractTouches(trx, tenantId, f, {
          config: ctx.config,
          now,
          actor,
        });
      }
    }
    return result;
  });
}

/** Index of the first contract whose account does not exist, or -1. */
async function firstUnknownAccount(
  db: Kysely<Database>,
  tenantId: string,
  contracts: ContractValues[],
): Promise<number> {
  const known = new Set<string>();
  for (const part of chunks([...new Set(contracts.map((c) => c.accountId))])) {
    const rows = await db
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', part)
      .execute();
    for (const row of rows) known.add(row.id);
  }
  return contracts.findIndex((c) => !known.has(c.accountId));
}
