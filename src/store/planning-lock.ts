import { type Kysely, sql } from 'kysely';
import type { DialectName } from './connect.ts';
import type { Database } from './database.ts';

/**
 * Lets one worker at a time plan `what` for a tenant, for the rest of the caller's transaction. Workers
 * sharing PostgreSQL that do not get it go straight to sending; on SQLite the transaction already holds
 * the only write lock.
 */
export async function takePlanningLock(
  trx: Kysely<Database>,
  dialect: DialectName,
  what: string,
  tenantId: string,
): Promise<boolean> {
  if (dialect !== 'postgres') return true;
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(hashtext(${`${what}:${tenantId}`})) as locked`.execute(trx);
  return rows[0]?.locked === true;
}
