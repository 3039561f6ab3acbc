import { CONTRACT_TRIGGERS, planContract } from '../../domain/contract-plan.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import { contractFactsOf } from '../../store/contracts-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import type { TimelineEntry } from '../simulate-timeline.ts';
import { timelineEntry } from '../timeline-entry.ts';

const PAGE = 2000;
const MAX_PLANS_PER_CONTRACT = 500;

/**
 * What contract notices would go out between two instants if nothing changed: each contract's plan run
 * forward from `from`, skipping what the outbox already holds. Writes nothing.
 */
export async function simulateContracts(
  ctx: EngineCtx,
  from: Instant,
  to: Instant,
): Promise<TimelineEntry[]> {
  const { db } = ctx.store;
  const policies = ctx.config.policies.filter((p) => CONTRACT_TRIGGERS.has(p.trigger));
  const entries: TimelineEntry[] = [];
  if (policies.length === 0) return entries;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('contracts')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return entries;
    after = rows[rows.length - 1]?.id ?? after;
    const facts = await contractFactsOf(db, ctx.tenantId, rows);
    const known = await db
      .selectFrom('touches')
      .select('dedupe_key')
      .where('tenant_id', '=', ctx.tenantId)
      .where('subject_kind', '=', 'contract')
      .where(
        'subject_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const seen = new Set(known.map((k) => k.dedupe_key));
    for (const f of facts.values()) {
      const names = new Map(f.contacts.map((c) => [c.id, c.name]));
      for (const policy of policies) {
        const add = (t: PlannedTouch) => {
          if (seen.has(t.dedupeKey) || t.dueAt > to) return;
          seen.add(t.dedupeKey);
          entries.push(
            timelineEntry(t, {
              trigger: policy.trigger,
              subject: f.contract.id,
              account: f.account.name,
              names,
            }),
          );
        };
        let at: Instant | null = from;
        for (let i = 0; at !== null && at <= to && i < MAX_PLANS_PER_CONTRACT; i += 1) {
          const plan = planContract(policy, f, at, ctx.runtime.planEnv);
          plan.touches.forEach(add);
          at = plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, at + 1);
        }
      }
    }
  }
}
