import { CONTRACT_TRIGGERS, planContractPolicies } from '../../domain/contract-plan.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import { contractFactsOf } from '../../store/contracts-repo.ts';
import { takePlanningLock } from '../../store/planning-lock.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';
import type { EngineCtx } from '../runtime.ts';

const PAGE = 2000;

/**
 * Plans every contract whose next planning instant has come, under every recurring, contract_end and
 * renewal policy, in one transaction: new touches go into the outbox (a dedupe key already there is a
 * no-op) and each contract gets its next planning instant. Returns how many touches were new.
 */
export async function planDueContracts(ctx: EngineCtx, now: Instant): Promise<number> {
  const { store, tenantId } = ctx;
  const policies = ctx.config.policies.filter((p) => CONTRACT_TRIGGERS.has(p.trigger));
  return store.db.transaction().execute(async (trx) => {
    if (!(await takePlanningLock(trx, store.dialect, 'duly-plan-contracts', tenantId))) return 0;
    let planned = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('contracts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('next_plan_at', '<=', now)
        .limit(PAGE)
        .execute();
      if (rows.length === 0) return planned;
      const facts = await contractFactsOf(trx, tenantId, rows);
      const touches: PlannedTouch[] = [];
      for (const row of rows) {
        const f = facts.get(row.id);
        const plan = f ? planContractPolicies(policies, f, now, ctx.runtime.planEnv) : null;
        if (plan) touches.push(...plan.touches);
        // Never leave a contract due again at this same instant: the loop would not end.
        const next = plan?.nextPlanAt == null ? null : Math.max(plan.nextPlanAt, now + 1);
        await trx
          .updateTable('contracts')
          .set({ next_plan_at: next })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', row.id)
          .execute();
      }
      touches.sort((a, b) => a.dueAt - b.dueAt);
      planned += await insertPlannedTouches(trx, tenantId, touches, now);
    }
  });
}
