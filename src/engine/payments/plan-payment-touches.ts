import type { Kysely } from 'kysely';
import {
  type PaymentFacts,
  paymentFailurePolicies,
  planPaymentFailure,
} from '../../domain/payment-failure.ts';
import { type Instant, PENDING_TOUCH_STATES, type PlannedTouch } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import type { Database } from '../../store/database.ts';
import { chunks } from '../../store/facts-repo.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import { loadPaymentFacts } from './payment-facts.ts';

/**
 * Plans the touches of every `payment_failed` policy for these failed payments (a dedupe key already in
 * the outbox is a no-op), inside the caller's transaction. Returns how many were new and the ids of
 * those already due, for the caller to dispatch at once after its commit.
 */
export async function planPaymentTouches(
  db: Kysely<Database>,
  ctx: EngineCtx,
  payments: PaymentFacts[],
  now: Instant,
): Promise<{ planned: number; dueIds: number[] }> {
  const today = zoneClock(ctx.config.timezone).localDay(now);
  const touches: PlannedTouch[] = [];
  for (const facts of payments) {
    for (const policy of paymentFailurePolicies(ctx.config.policies, facts, today)) {
      touches.push(...planPaymentFailure(policy, facts, now, ctx.runtime.planEnv).touches);
    }
  }
  const planned = await insertPlannedTouches(db, ctx.tenantId, touches, now);
  return {
    planned,
    dueIds: await duePaymentTouchIds(
      db,
      ctx.tenantId,
      payments.map((p) => p.payment.id),
      now,
    ),
  };
}

/** Touches about these payments that wait to be sent and are due by `now`. */
export async function duePaymentTouchIds(
  db: Kysely<Database>,
  tenantId: string,
  paymentIds: string[],
  now: Instant,
): Promise<number[]> {
  const ids: number[] = [];
  for (const batch of chunks(paymentIds, 900)) {
    const rows = await db
      .selectFrom('touches')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('subject_kind', '=', 'payment')
      .where('subject_id', 'in', batch)
      .where('state', 'in', PENDING_TOUCH_STATES)
      .where('next_attempt_at', '<=', now)
      .execute();
    for (const row of rows) ids.push(Number(row.id));
  }
  return ids;
}

/** How long after a failure its recovery is still news to the team. */
export const RECOVERY_NEWS_MS = 7 * 86_400_000;

/**
 * Plans the "recovered" steps of the failed payments of these invoices that a payment has just
 * recovered (in this transaction, at `now`). Returns the ids of touches due, to send after commit.
 */
export async function planRecoveredPayments(
  db: Kysely<Database>,
  ctx: EngineCtx,
  invoiceIds: string[],
  now: Instant,
): Promise<number[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .selectFrom('payments')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('invoice_id', 'in', invoiceIds)
    .where('status', '=', 'failed')
    .where('recovered_at', '=', now)
    .where('paid_at', '>=', now - RECOVERY_NEWS_MS)
    .execute();
  if (rows.length === 0) return [];
  const facts = await loadPaymentFacts(
    db,
    ctx.tenantId,
    rows.map((r) => r.id),
  );
  return (await planPaymentTouches(db, ctx, [...facts.values()], now)).dueIds;
}
