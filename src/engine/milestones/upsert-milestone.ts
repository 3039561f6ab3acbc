import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import type { Milestone } from '../../domain/milestone-plan.ts';
import { isCurrency, parseMoney } from '../../domain/money.ts';
import { appendAudit } from '../../store/audit.ts';
import { findMilestone } from '../../store/milestones-repo.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';

export const UpsertMilestoneInput = z.object({
  id: z.string().trim().min(1).max(200),
  account_id: z.string().trim().min(1, 'name the account the milestone belongs to'),
  contract_id: z.string().trim().min(1).nullish(),
  title: z.string().trim().min(1, 'give the milestone a title the client will recognise').max(300),
  /** In major units: `1500`, `"1500.00"`. */
  amount: z.union([z.number(), z.string()]).nullish(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCurrency, 'write an ISO 4217 currency code like USD')
    .nullish(),
});

/**
 * Adds a milestone (state `pending`) or changes its title, contract or amount. Its approval state is
 * left alone: that moves with `markMilestoneReady` and the client's decision.
 */
export async function upsertMilestone({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Milestone> {
  const raw = parseInput(UpsertMilestoneInput, input);
  const now = ctx.clock();
  const { tenantId } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['id', 'currency'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', raw.account_id)
      .executeTakeFirst();
    if (!account) {
      throw new DulyError('not_found', `no account with id "${raw.account_id}"; import it first`, {
        field: 'account_id',
      });
    }
    let amount: number | null = null;
    let currency: string | null = null;
    if (raw.amount !== undefined && raw.amount !== null) {
      currency = raw.currency ?? account.currency ?? ctx.config.currency;
      const parsed = parseMoney(String(raw.amount), currency);
      if (!parsed.ok) throw new DulyError('invalid_input', parsed.error, { field: 'amount' });
      if (parsed.minor < 0)
        throw new DulyError('invalid_input', 'the amount must not be negative', { field: 'amount' });
      amount = parsed.minor;
    }
    const before = await findMilestone(trx, tenantId, raw.id);
    const values = {
      account_id: raw.account_id,
      contract_id: raw.contract_id ?? null,
      title: raw.title,
      amount,
      currency,
      updated_at: now,
    };
    if (before) {
      await trx
        .updateTable('milestones')
        .set(values)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', raw.id)
        .execute();
    } else {
      await trx
        .insertInto('milestones')
        .values({
          ...values,
          tenant_id: tenantId,
          id: raw.id,
          state: 'pending',
          ready_at: null,
          decided_at: null,
          decided_by: null,
          decision_note: null,
          next_plan_at: null,
          created_at: now,
        })
        .execute();
    }
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: before ? 'milestone.updated' : 'milestone.created',
        subject: `milestone:${raw.id}`,
        actor: ctx.actor,
        data: {
          account: values.account_id,
          contract: values.contract_id,
          title: raw.title,
          amount,
          currency,
        },
      },
    ]);
    const saved = await findMilestone(trx, tenantId, raw.id);
    if (!saved) throw new Error(`milestone ${raw.id} vanished inside its own transaction`);
    return saved;
  });
}
