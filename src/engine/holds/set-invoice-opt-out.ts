import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import { PENDING_TOUCH_STATES } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Ctx } from '../context.ts';
import { findInvoiceByNumber } from '../invoice-transitions.ts';
import { parseInput } from '../parse-input.ts';

export const SetInvoiceOptOutInput = z.object({
  invoiceNumber: z.string().trim().min(1),
  optedOut: z.boolean(),
});

export const OPT_OUT_REASON = 'client reminders turned off for this invoice';

/**
 * Turns client reminders for one invoice off (cancelling those waiting, at once) or back on. The team's
 * steps about it continue either way.
 */
export async function setInvoiceOptOut({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const { invoiceNumber, optedOut } = parseInput(SetInvoiceOptOutInput, input);
  const now = ctx.clock();
  const { tenantId } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const invoice = await findInvoiceByNumber(trx, tenantId, invoiceNumber);
    if (!invoice)
      throw new DulyError('not_found', `no invoice numbered "${invoiceNumber}"`, { field: 'invoice' });
    await trx
      .updateTable('invoices')
      .set({
        opted_out: optedOut ? 1 : 0,
        next_plan_at: invoice.next_plan_at === null ? null : 0,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoice.id)
      .execute();
    const cancelled = optedOut
      ? await trx
          .updateTable('touches')
          .set({ state: 'cancelled', reason: OPT_OUT_REASON, next_attempt_at: null, updated_at: now })
          .where('tenant_id', '=', tenantId)
          .where('subject_kind', '=', 'invoice')
          .where('subject_id', '=', invoice.id)
          .where('audience', '=', 'client')
          .where('state', 'in', PENDING_TOUCH_STATES)
          .returning(['id', 'dedupe_key'])
          .execute()
      : [];
    await appendAudit(trx, tenantId, [
      {
        at: now,
        kind: optedOut ? 'invoice.opted_out' : 'invoice.opted_in',
        subject: `invoice:${invoice.number}`,
        actor: ctx.actor,
        data: { cancelled: cancelled.length },
      },
      ...cancelled
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((touch) => ({
          at: now,
          kind: 'touch.cancelled',
          subject: `touch:${touch.id}`,
          actor: ctx.actor,
          data: { reason: OPT_OUT_REASON, subject: `invoice:${invoice.id}`, dedupe_key: touch.dedupe_key },
        })),
    ]);
    return { invoiceNumber: invoice.number, optedOut, cancelledTouches: cancelled.length };
  });
}
