import { stepOccurrences } from '../../domain/occurrences.ts';
import { scheduleSteps } from '../../domain/schedule-steps.ts';
import type { Instant } from '../../domain/types.ts';
import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import type { TimelineEntry } from '../simulate-timeline.ts';
import { timelineEntry } from '../timeline-entry.ts';

/**
 * The owner alerts of promises to pay whose wait ends between two instants, as if none were kept:
 * what `duly simulate` shows for `promise_broken` policies. Writes nothing.
 */
export async function simulateBrokenPromises(
  ctx: EngineCtx,
  from: Instant,
  to: Instant,
): Promise<TimelineEntry[]> {
  const policies = ctx.config.policies.filter((p) => p.trigger === 'promise_broken');
  if (policies.length === 0) return [];
  const promises = await ctx.store.db
    .selectFrom('promises')
    .select(['id', 'invoice_id', 'wait_until'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('state', '=', 'open')
    .where('wait_until', '>=', from)
    .where('wait_until', '<=', to)
    .execute();
  const facts = await loadInvoiceFacts(
    ctx.store.db,
    ctx.tenantId,
    promises.map((p) => p.invoice_id),
  );
  const entries: TimelineEntry[] = [];
  for (const promise of promises) {
    const invoice = facts.get(promise.invoice_id);
    const at = Number(promise.wait_until);
    if (!invoice) continue;
    const subject = { kind: 'invoice' as const, id: invoice.invoice.id, accountId: invoice.account.id };
    for (const policy of policies) {
      const occurrences = stepOccurrences(policy, { broken: { at } }, at).filter((o) =>
        o.step.to.every((t) => t.audience === 'team'),
      );
      for (const o of occurrences) {
        const plan = scheduleSteps(policy, subject, invoice, [o], o.at ?? at, ctx.runtime.planEnv);
        for (const t of plan.touches) {
          if (t.dueAt > to) continue;
          entries.push(
            timelineEntry(t, {
              trigger: policy.trigger,
              subject: invoice.invoice.number,
              account: invoice.account.name,
            }),
          );
        }
      }
    }
  }
  return entries;
}
