import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import type { Milestone } from '../../domain/milestone-plan.ts';
import { appendAudit } from '../../store/audit.ts';
import { findMilestone } from '../../store/milestones-repo.ts';
import { cancelPendingTouches } from '../cancel-touches.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';

export const MarkReadyInput = z.object({ id: z.string().trim().min(1) });

/**
 * The work is ready for the client's review: a new round begins now. The next tick writes to the
 * client's contacts with a portal link; what was still pending from an earlier round is cancelled.
 * Marking a milestone that is already waiting for the client changes nothing.
 */
export async function markMilestoneReady({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<{ milestone: Milestone; alreadyReady: boolean }> {
  const { id } = parseInput(MarkReadyInput, input);
  const now = ctx.clock();
  const { tenantId } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const before = await findMilestone(trx, tenantId, id);
    if (!before) throw new DulyError('not_found', `no milestone with id "${id}"`, { field: 'id' });
    if (before.state === 'ready') return { milestone: before, alreadyReady: true };
    if (before.state === 'approved') {
      throw new DulyError(
        'conflict',
        `milestone ${id} was already approved by ${before.decidedBy ?? 'the client'}; add a new milestone for further work`,
        { field: 'id' },
      );
    }
    await cancelPendingTouches(trx, tenantId, [id], 'a new review round began', now, ctx.actor, 'milestone');
    await trx
      .updateTable('milestones')
      .set({
        state: 'ready',
        ready_at: now,
        decided_at: null,
        decided_by: null,
        decision_note: null,
        next_plan_at: 0,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: 'milestone.ready',
        subject: `milestone:${id}`,
        actor: ctx.actor,
        data: { round: now, previous_state: before.state },
      },
    ]);
    return {
      milestone: {
        ...before,
        state: 'ready',
        readyAt: now,
        decidedAt: null,
        decidedBy: null,
        decisionNote: null,
      },
      alreadyReady: false,
    };
  });
}
