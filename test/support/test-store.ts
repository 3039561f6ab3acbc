/**
 * A fresh, migrated store per test, on either dialect, so that store suites run the same cases against
 * SQLite and PostgreSQL:
 *
 * ```ts
 * for (const dialect of DIALECTS) {
 *   describe.skipIf(!dialectAvailable(dialect))(dialect, () => {
 *     let store: Store;
 *     beforeEach(async () => { store = await openTestStore(dialect); });
 *     afterEach(() => store.close());
 *   });
 * }
 * ```
 *
 * SQLite is `sqlite::memory:` (one connection, so one database per store). PostgreSQL runs when
 * `DULY_TEST_PG_URL` is set: each store gets a schema of its own (`t_<random>`, reached through
 * `search_path`), dropped again by `store.close()`. When the variable is set but the server cannot be
 * reached, `openTestStore` throws, so CI fails instead of silently skipping half the suite.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DialectName, openStore, type Store } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** PostgreSQL server for tests, e.g. `postgres://postgres@127.0.0.1:5432/test`; unset skips the postgres half. */
export const TEST_PG_URL: string | null = process.env.DULY_TEST_PG_URL || null;

/** The fixed instant test stores are created at (2026-03-10T00:00:00Z). */
export const TEST_EPOCH = Date.UTC(2026, 2, 10);

/** True when a suite for `dialect` can run here: SQLite always, PostgreSQL when DULY_TEST_PG_URL is set. */
export function dialectAvailable(dialect: DialectName): boolean {
  return dialect === 'sqlite' || TEST_PG_URL !== null;
}

/** Opens an empty store, migrated to the latest schema with the default tenant. Close it after the test. */
export async function openTestStore(dialect: DialectName): Promise<Store> {
  if (dialect === 'sqlite') {
    const store = openStore('sqlite::memory:');
    await migrateToLatest(store, TEST_EPOCH);
    return store;
  }
  if (!TEST_PG_URL) throw new Error('DULY_TEST_PG_URL is not set: cannot open a PostgreSQL test store');
  return openPostgresTestStore(TEST_PG_URL);
}

async function openPostgresTestStore(baseUrl: string): Promise<Store> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await runAdmin(baseUrl, `create schema ${schema}`);
  const separator = baseUrl.includes('?') ? '&' : '?';
  const store = openStore(`${baseUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  const close = async () => {
    await store.close();
    await runAdmin(baseUrl, `drop schema if exists ${schema} cascade`);
  };
  try {
    await createMigrationTables(store);
    await migrateToLatest(store, TEST_EPOCH);
  } catch (error) {
    await close();
    throw error;
  }
  return { ...store, close };
}

/**
 * Kysely's Migrator decides whether its bookkeeping tables exist by looking at every schema in the
 * database, so another test's schema would make it skip creating them in ours. Creating them up front,
 * exactly as the Migrator would, keeps parallel test schemas independent.
 */
async function createMigrationTables(store: Store): Promise<void> {
  const schema = store.db.schema;
  await schema
    .createTable('kysely_migration')
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  await schema
    .createTable('kysely_migration_lock')
    .ifNotExists()
    .addColumn('id', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
