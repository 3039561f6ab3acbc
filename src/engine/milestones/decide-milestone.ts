import { z } from 'zod';
import type { MilestoneDecision } from '../../domain/milestone-plan.ts';
import { appendAudit } from '../../store/audit.ts';
import { cancelPendingTouches } from '../cancel-touches.ts';
import { dispatchDueTouches } from '../dispatch/dispatch-due-touches.ts';
import { parseInput } from '../parse-input.ts';
import type { EngineCtx } from '../runtime.ts';
import { planMilestoneRows } from './plan-due-milestones.ts';
import { type PortalLink, resolvePortalLink } from './portal-link.ts';

export const DecideMilestoneInput = z
  .object({
    token: z.string().min(1),
    decision: z.enum(['approve', 'request_changes'], { error: 'choose approve or request_changes' }),
    note: z.string().trim().max(2000, 'keep the comment under 2000 characters').default(''),
  })
  .refine((v) => v.decision === 'approve' || v.note.length > 0, {
    message: 'say what should change, so the team can act on it',
    path: ['note'],
  });

const CANCEL_REASON: Record<MilestoneDecision, string> = {
  approved: 'milestone approved',
  changes_requested: 'changes requested',
};

/**
 * The client's decision through a portal link: the milestone is approved or sent back with a comment,
 * what was still pending for the round (the reminder) is cancelled, and the team's `decided` step is
 * planned in the same transaction and sent at once. A link already used shows the decision and
 * decides nothing twice.
 */
export async function decideMilestone({
  ctx,
  input,
}: {
  ctx: EngineCtx;
  input: unknown;
}): Promise<{ link: PortalLink; decided: boolean }> {
  const { token, decision, note } = parseInput(DecideMilestoneInput, input);
  const now = ctx.clock();
  const { tenantId } = ctx;
  const state: MilestoneDecision = decision === 'approve' ? 'approved' : 'changes_requested';
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const link = await resolvePortalLink(trx, ctx, token, now);
    if (link.status !== 'open') return { link, decided: false };
    const { milestone, decidedBy } = link;
    const updated = await trx
      .updateTable('milestones')
      .set({
        state,
        decided_at: now,
        decided_by: decidedBy,
        decision_note: note || null,
        next_plan_at: null,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', milestone.id)
      .where('state', '=', 'ready')
      .where('ready_at', '=', link.claim.readyAt)
      .returningAll()
      .execute();
    // Another request decided first: show what it decided.
    if (updated.length === 0) {
      return { link: await resolvePortalLink(trx, ctx, token, now), decided: false };
    }
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: `milestone.${state}`,
        subject: `milestone:${milestone.id}`,
        actor: decidedBy,
        data: { round: milestone.readyAt, ...(note ? { note } : {}) },
      },
    ]);
    await cancelPendingTouches(
      trx,
      tenantId,
      [milestone.id],
      CANCEL_REASON[state],
      now,
      decidedBy,
      'milestone',
    );
    await planMilestoneRows(trx, ctx, updated, now);
    const decidedLink: PortalLink = {
      ...link,
      status: 'decided',
      milestone: { ...milestone, state, decidedAt: now, decidedBy, decisionNote: note || null },
    };
    return { link: decidedLink, decided: true };
  });
  if (result.decided) await sendNow(ctx, now);
  return result;
}

/** The team hears at once; if sending fails here, the next tick sends what is due. */
async function sendNow(ctx: EngineCtx, now: number): Promise<void> {
  try {
    await dispatchDueTouches(ctx, {
      now,
      random: Math.random,
    });
  } catch (error) {
    ctx.logger.error({ err: error }, 'could not send the milestone decision at once; the next tick will');
  }
}
