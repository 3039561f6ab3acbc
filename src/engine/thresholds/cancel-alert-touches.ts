import type { Kysely } from 'kysely';
import type { Instant } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { cancelPendingTouches } from '../cancel-touches.ts';

/**
 * Cancels the waiting touches of one threshold policy about these accounts, each account with its own
 * reason. It keeps to one policy: an account can clear the escalation line and still be over the
 * owner's alert line.
 */
export async function cancelAlertTouches(
  db: Kysely<Database>,
  tenantId: string,
  policyId: string,
  reasons: Map<string, string>,
  now: Instant,
  actor: string,
): Promise<number> {
  let cancelled = 0;
  for (const [accountId, reason] of reasons) {
    cancelled += await cancelPendingTouches(
      db,
      tenantId,
      [accountId],
      reason,
      now,
      actor,
      'account',
      policyId,
    );
  }
  return cancelled;
}
