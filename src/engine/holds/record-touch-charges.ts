import type { Kysely } from 'kysely';
import type { Instant, InvoiceFacts, Touch } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import { insertNewCharges, type NewCharge } from '../../store/charges-repo.ts';
import type { Database } from '../../store/database.ts';
import type { TouchGroup } from '../dispatch/compose-message.ts';
import type { EngineCtx } from '../runtime.ts';
import { factsOf, type SubjectFactsMap } from '../subjects/subject-facts.ts';
import { chargeDedupeKey, touchCharge } from './invoice-charges.ts';

/**
 * Records, in the claiming transaction, the late fee or interest of each invoice touch about to be sent
 * whose step adds one: a row in the invoice's charges and an audit entry. The invoice's balance is the
 * source system's and is never changed. A charge already recorded (a retried send, the same step on
 * another channel) is not recorded again.
 */
export async function recordTouchCharges(
  trx: Kysely<Database>,
  ctx: EngineCtx,
  groups: Iterable<TouchGroup>,
  facts: SubjectFactsMap,
  now: Instant,
): Promise<number> {
  const charges: (NewCharge & { number: string })[] = [];
  for (const group of groups) {
    for (const touch of group.touches as Touch[]) {
      if (touch.subjectKind !== 'invoice') continue;
      const invoiceFacts = factsOf(facts, touch) as InvoiceFacts | null;
      if (!invoiceFacts) continue;
      const quote = touchCharge(touch, invoiceFacts, ctx.config, now);
      if (!quote) continue;
      charges.push({
        dedupeKey: chargeDedupeKey(touch),
        invoiceId: invoiceFacts.invoice.id,
        number: invoiceFacts.invoice.number,
        kind: quote.kind,
        amount: quote.amount,
        currency: quote.currency,
        basis: JSON.stringify(quote.basis),
        touchId: Number(touch.id),
      });
    }
  }
  if (charges.length === 0) return 0;
  const fresh = await insertNewCharges(trx, ctx.tenantId, charges, now);
  const recorded = charges.filter((c) => fresh.delete(c.dedupeKey));
  await appendAudit(
    trx,
    ctx.tenantId,
    recorded.map((c) => ({
      at: now,
      kind: 'charge.recorded',
      subject: `invoice:${c.number}`,
      actor: 'dispatcher',
      data: {
        invoice: c.number,
        kind: c.kind,
        amount: c.amount,
        currency: c.currency,
        basis: JSON.parse(c.basis) as unknown,
        touch: c.touchId,
      },
    })),
  );
  return recorded.length;
}
