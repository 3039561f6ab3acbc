import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { DulyError } from '../domain/errors.ts';
import type { Store } from './connect.ts';
import { initialMigration } from './migrations/001-initial.ts';
import { billingEventsMigration } from './migrations/002-billing-events.ts';
import { paymentFailuresMigration } from './migrations/003-payment-failures.ts';
import { promiseTermsMigration } from './migrations/003-promise-terms.ts';
import { thresholdsMigration } from './migrations/003-thresholds.ts';

export const DEFAULT_TENANT = 'default';

/** Migrations are code, listed here in order, so a bundled build needs no migrations folder. */
function migrationsFor(store: Store): MigrationProvider {
  return {
    getMigrations: async (): Promise<Record<string, Migration>> => ({
      '001-initial': initialMigration(store.dialect),
      '002-billing-events': billingEventsMigration(store.dialect),
      '003-thresholds': thresholdsMigration(),
      '003-payment-failures': paymentFailuresMigration(),
      '003-promise-terms': promiseTermsMigration(),
    }),
  };
}

/** Brings the schema up to date and makes sure the default tenant exists. */
export async function migrateToLatest(store: Store, now: number): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationsFor(store) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DulyError('unavailable', `database migration ${failed} failed: ${(error as Error).message}`);
  }
  await store.db
    .insertInto('tenants')
    .values({ id: DEFAULT_TENANT, name: 'Default', created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
