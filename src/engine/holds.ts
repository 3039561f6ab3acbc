import { z } from 'zod';
import { DulyError } from '../domain/errors.ts';
import { OWED_STATUSES } from '../domain/types.ts';
import { appendAudit } from '../store/audit.ts';
import type { Ctx } from './context.ts';
import { findInvoiceByNumber } from './invoice-transitions.ts';
import { parseInput } from './parse-input.ts';

export const PauseInput = z.object({
  /** An account id, or an invoice number with `invoice: true`. */
  target: z.string().trim().min(1),
  invoice: z.boolean().default(false),
  until: z.number().int(),
  reason: z.string().trim().min(1, 'say why, for the team and the audit trail').max(500),
});

export const ResumeInput = z.object({
  target: z.string().trim().min(1),
  invoice: z.boolean().default(false),
});

/**
 * Holds an account's or one invoice's reminders until a date, with a reason. Reminders already in the
 * outbox are skipped at send time; when the hold ends, the schedule resumes with the latest step due.
 */
export async function pauseReminders({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { target, invoice, until, reason } = parseInput(PauseInput, input);
  const now = ctx.clock();
  if (until <= now)
    throw new DulyError('invalid_input', 'the hold must end in the future', { field: 'until' });
  return setHold(ctx, { target, invoice, until, reason, now });
}

/** Ends a hold at once. */
export async function resumeReminders({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { target, invoice } = parseInput(ResumeInput, input);
  return setHold(ctx, { target, invoice, until: null, reason: null, now: ctx.clock() });
}

async function setHold(
  ctx: Ctx,
  hold: { target: string; invoice: boolean; until: number | null; reason: string | null; now: number },
): Promise<{ target: string; until: number | null }> {
  const { tenantId } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    let accountId: string;
    if (hold.invoice) {
      const row = await findInvoiceByNumber(trx, tenantId, hold.target);
      if (!row)
        throw new DulyError('not_found', `no invoice numbered "${hold.target}"`, { field: 'invoice' });
      await trx
        .updateTable('invoices')
        .set({ paused_until: hold.until, next_plan_at: 0, updated_at: hold.now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .execute();
      accountId = row.account_id;
    } else {
      const result = await trx
        .updateTable('accounts')
        .set({ paused_until: hold.until, pause_reason: hold.reason, updated_at: hold.now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', hold.target)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw new DulyError('not_found', `no account with id "${hold.target}"`, { field: 'account' });
      }
      accountId = hold.target;
      // The planner looks again at once: at the hold's end, or now that it is lifted.
      await trx
        .updateTable('invoices')
        .set({ next_plan_at: 0 })
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', accountId)
        .where('status', 'in', [...OWED_STATUSES])
        .execute();
    }
    await appendAudit(trx, tenantId, [
      {
        at: hold.now,
        kind: hold.until === null ? 'hold.lifted' : 'hold.placed',
        subject: hold.invoice ? `invoice:${hold.target}` : `account:${accountId}`,
        actor: ctx.actor,
        data: { until: hold.until, reason: hold.reason },
      },
    ]);
    return { target: hold.target, until: hold.until };
  });
}
