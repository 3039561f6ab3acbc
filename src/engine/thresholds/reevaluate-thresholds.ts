import type { Kysely } from 'kysely';
import { thresholdVerdict } from '../../domain/account-balance.ts';
import type { DulyConfig, Policy } from '../../domain/config.ts';
import type { Instant } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { alertStatesOf, endAlertStates, startAlertStates } from '../../store/alert-states-repo.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import { loadAccountBalances } from './account-balances.ts';
import { cancelAlertTouches } from './cancel-alert-touches.ts';

export interface ThresholdScope {
  tenantId: string;
  actor: string;
  now: Instant;
  config: DulyConfig;
}

const CHUNK = 2000;

export const thresholdPolicies = (config: DulyConfig): Policy[] =>
  config.policies.filter((p) => p.trigger === 'threshold' && p.threshold !== null);

/** The day thresholds count overdue days on: the team's local day. */
export const thresholdToday = (config: DulyConfig, now: Instant) => zoneClock(config.timezone).localDay(now);

/**
 * Looks at these accounts against every threshold policy, in the caller's transaction: an account that
 * has just crossed starts an alert episode (planned by the next tick, at once); one that has cleared
 * ends its episode and its waiting alerts are cancelled with the reason. Returns how many crossed and cleared.
 */
export async function reevaluateThresholds(
  db: Kysely<Database>,
  scope: ThresholdScope,
  accountIds: readonly string[],
): Promise<{ crossed: number; cleared: number }> {
  const policies = thresholdPolicies(scope.config);
  const counts = { crossed: 0, cleared: 0 };
  if (policies.length === 0 || accountIds.length === 0) return counts;
  const today = thresholdToday(scope.config, scope.now);
  const unique = [...new Set(accountIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const ids = unique.slice(i, i + CHUNK);
    const balances = await loadAccountBalances(db, scope.tenantId, ids);
    for (const policy of policies) {
      const states = await alertStatesOf(db, scope.tenantId, policy.id, ids);
      const crossed: string[] = [];
      const cleared = new Map<string, string>();
      const audit = [];
      for (const id of ids) {
        const balance = balances.get(id);
        if (!balance || !policy.threshold) continue;
        const verdict = thresholdVerdict(policy.threshold, balance, today);
        if (verdict.holds && !states.has(id)) {
          crossed.push(id);
          audit.push({ kind: 'threshold.crossed', id, why: verdict.why });
        } else if (!verdict.holds && states.has(id)) {
          cleared.set(id, `threshold cleared: ${verdict.why}`);
          audit.push({ kind: 'threshold.cleared', id, why: verdict.why });
        }
      }
      await startAlertStates(db, scope.tenantId, policy.id, crossed, scope.now);
      await endAlertStates(db, scope.tenantId, policy.id, [...cleared.keys()]);
      await cancelAlertTouches(db, scope.tenantId, policy.id, cleared, scope.now, scope.actor);
      await appendAudit(
        db,
        scope.tenantId,
        audit.map((a) => ({
          at: scope.now,
          kind: a.kind,
          subject: `account:${a.id}`,
          actor: scope.actor,
          data: { policy: policy.id, why: a.why },
        })),
      );
      counts.crossed += crossed.length;
      counts.cleared += cleared.size;
    }
  }
  return counts;
}
