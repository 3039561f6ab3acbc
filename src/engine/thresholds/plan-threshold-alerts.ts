import { planThresholdAlert } from '../../domain/threshold-alert.ts';
import type { Instant, PlannedTouch } from '../../domain/types.ts';
import {
  type AlertState,
  alertStatesOf,
  dueAlertStates,
  endAlertStates,
  setAlertNextPlanAt,
} from '../../store/alert-states-repo.ts';
import { loadAccounts } from '../../store/facts-repo.ts';
import { insertPlannedTouches } from '../../store/touches-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import type { TriggerPlanner } from '../triggers/index.ts';
import { checkOverdueDays } from './daily-overdue-check.ts';
import { reevaluateThresholds, thresholdPolicies } from './reevaluate-thresholds.ts';

const PAGE = 1000;

/**
 * The tick's part of threshold alerts, in one transaction: the daily look for accounts that became too
 * long overdue, then every alert whose time has come is checked again (a cleared one ends) and planned:
 * its first message at the crossing, then its repeats while the account stays over the line.
 */
export const planThresholdAlerts: TriggerPlanner = async (ctx: EngineCtx, now: Instant) => {
  const policies = thresholdPolicies(ctx.config);
  if (policies.length === 0) return 0;
  const { tenantId } = ctx;
  const scope = { tenantId, actor: ctx.actor, now, config: ctx.config };
  return ctx.store.db.transaction().execute(async (trx) => {
    await checkOverdueDays(trx, scope, policies);
    let planned = 0;
    for (;;) {
      const due = await dueAlertStates(trx, tenantId, now, PAGE);
      if (due.length === 0) break;
      await reevaluateThresholds(
        trx,
        scope,
        due.map((s) => s.accountId),
      );
      const accounts = await loadAccounts(
        trx,
        tenantId,
        due.map((s) => s.accountId),
      );
      const current = new Map<string, Map<string, AlertState>>();
      for (const policyId of new Set(due.map((s) => s.policyId))) {
        const ids = due.filter((s) => s.policyId === policyId).map((s) => s.accountId);
        current.set(policyId, await alertStatesOf(trx, tenantId, policyId, ids));
      }
      const touches: PlannedTouch[] = [];
      for (const state of due) {
        const policy = policies.find((p) => p.id === state.policyId);
        const facts = accounts.get(state.accountId);
        const still = current.get(state.policyId)?.get(state.accountId);
        if (!still) continue; // cleared just now
        if (!policy || !facts) {
          // The policy left the config or the account was deleted: the episode has nothing left to say.
          await endAlertStates(trx, tenantId, state.policyId, [state.accountId]);
          continue;
        }
        const plan = planThresholdAlert({ policy, facts, since: still.since }, now, ctx.runtime.planEnv);
        touches.push(...plan.touches);
        // Never due again at this same instant: the loop would not end.
        await setAlertNextPlanAt(
          trx,
          tenantId,
          state,
          plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, now + 1),
        );
      }
      planned += await insertPlannedTouches(trx, tenantId, touches, now);
    }
    return planned;
  });
};
