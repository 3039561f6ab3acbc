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

export const SendStepNowInput = z
  .object({
    invoiceNumber: z.string().trim().min(1).optional(),
    accountId: z.string().trim().min(1).optional(),
    stepId: z.string().trim().min(1),
  })
  .refine((v) => (v.invoiceNumber === undefined) !== (v.accountId === undefined), {
    message: 'name one invoice or one account, not both and not neither',
    path: ['invoiceNumber'],
  });

/**
 * Staff sends one step now, outside the schedule: for one invoice, or for every open invoice of an
 * account (one statement, since they fall due together). Everything that protects the recipient still
 * applies at send time (opt-outs, holds, quiet hours, a paid invoice); the step's own condition does
 * not, since someone chose to send it. The audit trail records who asked.
 */
export async function sendStepNow({ ctx, input }: { ctx: EngineCtx; input: unknown }): Promise<{
  requested: number;
  counts: TickCounts;
}> {
  const { invoiceNumber, accountId, stepId } = parseInput(SendStepNowInput, input);
  const now = ctx.clock();
  const { db } = ctx.store;
  const invoiceIds = invoiceNumber
    ? [await invoiceIdByNumber(ctx, invoiceNumber)]
    : await openInvoiceIds(ctx, accountId as string);
  const what = invoiceNumber ? `invoice ${invoiceNumber}` : `account ${accountId}`;
  const factsById = await loadInvoiceFacts(db, ctx.tenantId, invoiceIds);
  if (factsById.size === 0) throw new DulyError('not_found', `the account of ${what} no longer exists`);
  const today = zoneClock(ctx.config.timezone).localDay(now);
  const touches: PlannedTouch[] = [];
  const policiesUsed = new Set<string>();
  let stepsKnown: string[] = [];
  for (const facts of factsById.values()) {
    const policy = selectPolicy(ctx.config.policies, facts, today);
    if (!policy) continue;
    stepsKnown = policy.steps.map((s) => s.id);
    const stepIndex = policy.steps.findIndex((s) => s.id === stepId);
    const step = policy.steps[stepIndex];
    if (!step) continue;
    policiesUsed.add(policy.id);
    for (const recipient of resolveRecipients(step, facts, ctx.config, ctx.runtime.planEnv.addressKinds)) {
      for (const channel of recipient.channels) {
        touches.push({
          dedupeKey: touchDedupeKey(policy.id, step, `manual:${now}`, facts.invoice.id, recipient, channel),
          policyId: policy.id,
          stepId: step.id,
          cycle: MANUAL_CYCLE,
          subjectKind: 'invoice',
          subjectId: facts.invoice.id,
          accountId: facts.account.id,
          audience: recipient.audience,
          recipient: recipient.id,
          channel,
          template: step.template,
          dueAt: now,
          scheduledAt: now,
          stepIndex,
        });
      }
    }
  }
  if (policiesUsed.size === 0) {
    if (stepsKnown.length === 0)
      throw new DulyError('conflict', `no policy applies to ${what}`, { field: 'invoice' });
    throw new DulyError(
      'invalid_input',
      `no policy of ${what} has a step "${stepId}"; its steps: ${stepsKnown.join(', ')}`,
      {
        field: 'step',
      },
    );
  }
  if (touches.length === 0) {
    throw new DulyError('conflict', `step ${stepId} has nobody to write to for ${what}`, { field: 'step' });
  }
  const requested = await db.transaction().execute(async (trx) => {
    const inserted = await insertPlannedTouches(trx, ctx.tenantId, touches, now);
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'step.sent_by_hand',
        subject: invoiceNumber ? `invoice:${invoiceNumber}` : `account:${accountId}`,
        actor: ctx.actor,
        data: { policies: [...policiesUsed], step: stepId, invoices: factsById.size, touches: inserted },
      },
    ]);
    return inserted;
  });
  return { requested, counts: await runTick(ctx, { now }) };
}

async function invoiceIdByNumber(ctx: EngineCtx, invoiceNumber: string): Promise<string> {
  const row = await findInvoiceByNumber(ctx.store.db, ctx.tenantId, invoiceNumber);
  if (!row) throw new DulyError('not_found', `no invoice numbered "${invoiceNumber}"`, { field: 'invoice' });
  return row.id;
}

async function openInvoiceIds(ctx: EngineCtx, accountId: string): Promise<string[]> {
  const rows = await ctx.store.db
    .selectFrom('invoices')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('account_id', '=', accountId)
    .where('status', 'in', ['open', 'partial'])
    .orderBy('due_on')
    .execute();
  if (rows.length === 0) {
    const known = await ctx.store.db
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!known) throw new DulyError('not_found', `no account with id "${accountId}"`, { field: 'account' });
    throw new DulyError('conflict', `account ${accountId} has no open invoice to send about`, {
      field: 'account',
    });
  }
  return rows.map((r) => r.id);
}
