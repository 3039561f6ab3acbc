import type { Instant } from '../../domain/types.ts';
import type { EngineCtx } from '../runtime.ts';
import type { TriggerPlanner } from '../triggers/index.ts';
import { loadPaymentFacts } from './payment-facts.ts';
import { planPaymentTouches, RECOVERY_NEWS_MS } from './plan-payment-touches.ts';

const DAY_MS = 86_400_000;

/** How far back a failure can still have steps to plan: the latest step offset, and at least a week. */
export function paymentLookbackMs(ctx: EngineCtx): number {
  let latest = 0;
  for (const policy of ctx.config.policies) {
    if (policy.trigger !== 'payment_failed') continue;
    for (const step of policy.steps) {
      const days = Math.max(step.at.days, step.until?.days ?? 0);
      latest = Math.max(latest, step.everyDays && !step.until ? Number.POSITIVE_INFINITY : days);
    }
  }
  return Math.max(RECOVERY_NEWS_MS, Math.min(latest, 366) * DAY_MS + DAY_MS);
}

/**
 * The tick's share of failed payments: steps that were beyond the plan-ahead window when the failure
 * came in (a notice a day later), and recoveries recorded outside an event (`duly pay`, an import).
 * The failure's own urgent steps were planned and sent when it came in.
 */
export const planFailedPayments: TriggerPlanner = async (ctx: EngineCtx, now: Instant) => {
  if (!ctx.config.policies.some((p) => p.trigger === 'payment_failed')) return 0;
  return ctx.store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('payments')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('status', '=', 'failed')
      .where('paid_at', '>=', now - paymentLookbackMs(ctx))
      .execute();
    if (rows.length === 0) return 0;
    const facts = await loadPaymentFacts(
      trx,
      ctx.tenantId,
      rows.map((r) => r.id),
    );
    return (await planPaymentTouches(trx, ctx, [...facts.values()], now)).planned;
  });
};
