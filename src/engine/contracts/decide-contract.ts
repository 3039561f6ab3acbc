import { z } from 'zod';
import { CONTRACT_DECISIONS } from '../../domain/contract-plan.ts';
import { DulyError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import { findContractRow, loadContractFacts } from '../../store/contracts-repo.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';
import { cancelMootContractTouches } from './cancel-moot-contract-touches.ts';

export const DecideContractInput = z.object({
  id: z.string().trim().min(1, 'name the contract'),
  decision: z.enum(CONTRACT_DECISIONS, { error: `write one of ${CONTRACT_DECISIONS.join(', ')}` }),
  note: z.string().trim().max(1000).optional(),
});

/**
 * Records what happens at a contract's end (renew, renegotiate, let it end). End-of-contract notices
 * still waiting are cancelled in the same transaction, and no more are planned for this end date.
 */
export async function decideContract({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { id, decision, note } = parseInput(DecideContractInput, input);
  const now = ctx.clock();
  const { tenantId, actor } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await findContractRow(trx, tenantId, id);
    if (!row) throw new DulyError('not_found', `no contract with id "${id}"`, { field: 'contract' });
    await trx
      .updateTable('contracts')
      .set({
        decision,
        decided_at: now,
        decided_by: actor,
        decision_note: note ?? null,
        next_plan_at: 0,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: 'contract.decided',
        subject: `contract:${id}`,
        actor,
        data: { decision, note: note ?? null, previous: row.decision, ends_on: row.ends_on },
      },
    ]);
    const facts = (await loadContractFacts(trx, tenantId, [id])).get(id);
    const touchesCancelled = facts
      ? await cancelMootContractTouches(trx, tenantId, facts, { config: ctx.config, now, actor })
      : 0;
    return { id, decision, note: note ?? null, decidedAt: now, touchesCancelled };
  });
}
