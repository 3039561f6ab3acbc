import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import { OWED_STATUSES } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';

export const SetAccountPolicyInput = z.object({
  accountId: z.string().trim().min(1),
  /** An invoice policy's id, or null to go back to the first policy whose conditions hold. */
  policyId: z.string().trim().min(1).nullable(),
});

/**
 * Makes an account follow one invoice policy whatever its invoices look like (or, with null, the usual
 * choice again). Its open invoices are planned again at once under the new schedule.
 */
export async function setAccountPolicy({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { accountId, policyId } = parseInput(SetAccountPolicyInput, input);
  const now = ctx.clock();
  if (policyId !== null) {
    const valid = ctx.config.policies.filter((p) => p.trigger === 'invoice').map((p) => p.id);
    if (!valid.includes(policyId)) {
      const known = ctx.config.policies.find((p) => p.id === policyId);
      const why = known
        ? `"${policyId}" is a ${known.trigger} policy, not an invoice policy`
        : `no policy "${policyId}"`;
      throw new DulyError('invalid_input', `${why}; invoice policies: ${valid.join(', ') || 'none'}`, {
        field: 'policy',
      });
    }
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['id', 'policy_id'])
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account) throw new DulyError('not_found', `no account with id "${accountId}"`, { field: 'account' });
    await trx
      .updateTable('accounts')
      .set({ policy_id: policyId, updated_at: now })
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', accountId)
      .execute();
    const replanned = await trx
      .updateTable('invoices')
      .set({ next_plan_at: 0 })
      .where('tenant_id', '=', ctx.tenantId)
      .where('account_id', '=', accountId)
      .where('status', 'in', [...OWED_STATUSES])
      .executeTakeFirst();
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: policyId === null ? 'account.policy_cleared' : 'account.policy_set',
        subject: `account:${accountId}`,
        actor: ctx.actor,
        data: { from: account.policy_id, to: policyId },
      },
    ]);
    return { accountId, policyId, openInvoices: Number(replanned.numUpdatedRows) };
  });
}
