import { z } from 'zod';
import { DulyError } from '../domain/errors.ts';
import { parseMoney } from '../domain/money.ts';
import { appendAudit } from '../store/audit.ts';
import { applyPayment, closeInvoice, findInvoiceByNumber, setDisputed } from './invoice-transitions.ts';
import { parseInput } from './parse-input.ts';
import { dispatchTouchesNow } from './payments/dispatch-now.ts';
import { planRecoveredPayments } from './payments/plan-payment-touches.ts';
import { recordPaymentFailure } from './payments/record-payment-failure.ts';
import type { EngineCtx } from './runtime.ts';

export const EVENT_TYPES = [
  'payment.succeeded',
  'payment.failed',
  'invoice.paid',
  'invoice.voided',
  'invoice.written_off',
  'invoice.disputed',
  'invoice.dispute_resolved',
] as const;

export const GenericEvent = z.object({
  id: z.string().trim().min(1).max(200),
  type: z.enum(EVENT_TYPES, { message: `type must be one of ${EVENT_TYPES.join(', ')}` }),
  source: z.string().trim().min(1).max(100).default('api'),
  occurred_at: z.iso
    .datetime({ offset: true, message: 'occurred_at must be ISO 8601, e.g. 2026-03-10T09:00:00Z' })
    .optional(),
  data: z.object({
    invoice_number: z.string().trim().min(1),
    amount: z.string().trim().min(1).optional(),
    /** payment.failed: why the charge failed (card declined, insufficient funds …). */
    reason: z.string().trim().min(1).max(500).optional(),
    /** payment.failed: the billing system's id of the charge; the event id when absent. */
    payment_id: z.string().trim().min(1).max(200).optional(),
  }),
});

export interface EventResult {
  accepted: boolean;
  duplicate: boolean;
  effect: string;
}

/**
 * Takes one event from any source. Stored once per (source, event id): a replay changes nothing and
 * says so. The event and its effect commit together, so an accepted event is never half applied.
 * Urgent messages it plans (a failed payment's team alert, its recovery) are sent right after the commit.
 */
export async function ingestEvent({ ctx, input }: { ctx: EngineCtx; input: unknown }): Promise<EventResult> {
  const now = ctx.clock();
  let event: z.output<typeof GenericEvent>;
  try {
    event = parseInput(GenericEvent, input);
  } catch (error) {
    await appendAudit(ctx.store.db, ctx.tenantId, [
      {
        at: now,
        kind: 'event.rejected',
        subject: 'event',
        actor: ctx.actor,
        data: { reason: (error as Error).message },
      },
    ]);
    throw error;
  }
  const occurredAt = event.occurred_at ? Date.parse(event.occurred_at) : now;
  const who = { tenantId: ctx.tenantId, actor: ctx.actor, now, config: ctx.config };
  let urgent: number[] = [];
  const result = await ctx.store.db.transaction().execute(async (trx): Promise<EventResult> => {
    const stored = await trx
      .insertInto('events')
      .values({
        tenant_id: ctx.tenantId,
        source: event.source,
        event_id: event.id,
        type: event.type,
        payload: JSON.stringify(event),
        occurred_at: occurredAt,
        received_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'source', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return { accepted: true, duplicate: true, effect: 'already received; nothing changed' };

    const invoice = await findInvoiceByNumber(trx, ctx.tenantId, event.data.invoice_number);
    if (!invoice) {
      throw new DulyError('not_found', `no invoice numbered "${event.data.invoice_number}"`, {
        field: 'data.invoice_number',
      });
    }
    const open = invoice.status === 'open' || invoice.status === 'partial';
    let effect: string;
    if (event.type === 'payment.failed' && open) {
      const failed = await recordPaymentFailure(
        trx,
        ctx,
        invoice,
        {
          amount: eventAmount(event.data.amount, invoice.currency) ?? Number(invoice.balance),
          failedAt: Math.min(occurredAt, now),
          reason: event.data.reason ?? null,
          externalId: event.data.payment_id ?? event.id,
          source: event.source,
        },
        now,
      );
      effect = failed.effect;
      urgent = failed.touchIds;
    } else if (event.type === 'payment.succeeded' && open) {
      const amount = eventAmount(event.data.amount, invoice.currency) ?? Number(invoice.balance);
      const applied = await applyPayment(trx, who, invoice, {
        amount,
        paidAt: occurredAt,
        source: event.source,
        externalId: event.id,
      });
      effect = `payment recorded; invoice ${applied.status}, ${applied.cancelled} reminder(s) cancelled`;
      urgent = await planRecoveredPayments(trx, ctx, [invoice.id], now);
    } else if (
      (event.type === 'invoice.paid' ||
        event.type === 'invoice.voided' ||
        event.type === 'invoice.written_off') &&
      open
    ) {
      const status =
        event.type === 'invoice.paid' ? 'paid' : event.type === 'invoice.voided' ? 'void' : 'written_off';
      const cancelled = await closeInvoice(trx, who, invoice, status);
      effect = `invoice ${status}; ${cancelled} reminder(s) cancelled`;
    } else if (event.type === 'invoice.disputed' || event.type === 'invoice.dispute_resolved') {
      const cancelled = await setDisputed(trx, who, invoice, event.type === 'invoice.disputed');
      effect =
        event.type === 'invoice.disputed'
          ? `dispute opened; ${cancelled} reminder(s) cancelled`
          : 'dispute resolved';
    } else {
      effect = `invoice is ${invoice.status}; nothing to change`;
    }
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'event.accepted',
        subject: `event:${event.source}:${event.id}`,
        actor: ctx.actor,
        data: { type: event.type, invoice: invoice.number, effect },
      },
    ]);
    return { accepted: true, duplicate: false, effect };
  });
  try {
    await dispatchTouchesNow(ctx, urgent, now);
  } catch (error) {
    // The event is in: the tick sends what could not go out at once.
    ctx.logger.error({ err: error, touches: urgent }, 'could not send urgent messages at once');
  }
  return result;
}

/** An event's amount in minor units; undefined when it gave none. */
function eventAmount(text: string | undefined, currency: string): number | undefined {
  if (!text) return undefined;
  const parsed = parseMoney(text, currency);
  if (!parsed.ok || parsed.minor <= 0) {
    throw new DulyError('invalid_input', parsed.ok ? 'the amount must be more than zero' : parsed.error, {
      field: 'data.amount',
    });
  }
  return parsed.minor;
}
