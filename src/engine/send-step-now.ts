import { z } from 'zod';
import { DulyError } from '../domain/errors.ts';
import { selectPolicy, touchDedupeKey } from '../domain/planner.ts';
import { resolveRecipients } from '../domain/recipients.ts';
import { MANUAL_CYCLE, type PlannedTouch } from '../domain/types.ts';
import { zoneClock } from '../domain/zone-clock.ts';
import { appendAudit } from '../store/audit.ts';
import { loadInvoiceFacts } from '../store/facts-repo.ts';
import { insertPlannedTouches } from '../store/touches-repo.ts';
import { findInvoiceByNumber } from './invoice-transitions.ts';
import { parseInput } from './parse-input.ts';
import { runTick, type TickCounts } from './run-tick.ts';
import type { EngineCtx } from './runtime.ts';

export const SendStepNowInput = z.object({
  invoiceNumber: z.string().trim().min(1),
  stepId: z.string().trim().min(1),
});

/**
 * Staff sends one step of an invoice's policy now, outside the schedule. Everything that protects the
 * recipient still applies at send time (opt-outs, holds, quiet hours, a paid invoice); the step's
 * own condition does not, since someone chose to send it. The audit trail records who asked.
 */
export async function sendStepNow({ ctx, input }: { ctx: EngineCtx; input: unknown }): Promise<{
  requested: number;
  counts: TickCounts;
}> {
  const { invoiceNumber, stepId } = parseInput(SendStepNowInput, input);
  const now = ctx.clock();
  const { db } = ctx.store;
  const row = await findInvoiceByNumber(db, ctx.tenantId, invoiceNumber);
  if (!row) throw new DulyError('not_found', `no invoice numbered "${invoiceNumber}"`, { field: 'invoice' });
  const facts = (await loadInvoiceFacts(db, ctx.tenantId, [row.id])).get(row.id);
  if (!facts) throw new DulyError('not_found', `the account of invoice ${invoiceNumber} no longer exists`);
  const today = zoneClock(ctx.config.timezone).localDay(now);
  const policy = selectPolicy(ctx.config.policies, facts, today);
  if (!policy) {
    throw new DulyError(
      'conflict',
      `no policy applies to invoice ${invoiceNumber} (${facts.invoice.status})`,
      {
        field: 'invoice',
      },
    );
  }
  const stepIndex = policy.steps.findIndex((s) => s.id === stepId);
  const step = policy.steps[stepIndex];
  if (!step) {
    const known = policy.steps.map((s) => s.id).join(', ');
    throw new DulyError('invalid_input', `policy ${policy.id} has no step "${stepId}"; its steps: ${known}`, {
      field: 'step',
    });
  }
  const touches: PlannedTouch[] = resolveRecipients(
    step,
    facts,
    ctx.config,
    ctx.runtime.planEnv.addressKinds,
  ).flatMap((recipient) =>
    recipient.channels.map((channel) => ({
      dedupeKey: touchDedupeKey(policy.id, step, `manual:${now}`, facts.invoice.id, recipient, channel),
      policyId: policy.id,
      stepId: step.id,
      cycle: MANUAL_CYCLE,
      subjectKind: 'invoice' as const,
      subjectId: facts.invoice.id,
      accountId: facts.account.id,
      audience: recipient.audience,
      recipient: recipient.id,
      channel,
      template: step.template,
      dueAt: now,
      scheduledAt: now,
      stepIndex,
    })),
  );
  if (touches.length === 0) {
    throw new DulyError('conflict', `step ${step.id} has nobody to write to for invoice ${invoiceNumber}`, {
      field: 'step',
    });
  }
  const requested = await db.transaction().execute(async (trx) => {
    const inserted = await insertPlannedTouches(trx, ctx.tenantId, touches, now);
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'step.sent_by_hand',
        subject: `invoice:${invoiceNumber}`,
        actor: ctx.actor,
        data: { policy: policy.id, step: step.id, touches: inserted },
      },
    ]);
    return inserted;
  });
  return { requested, counts: await runTick(ctx, { now }) };
}
