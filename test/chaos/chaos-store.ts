import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

/** The PostgreSQL server used when DULY_TEST_PG_URL is not set. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface PgSchema {
  schema: string;
  /** The database URL with `search_path` set to the schema: what DULY_DATABASE_URL gets. */
  url: string;
  drop(): Promise<void>;
}

async function runAdmin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** True when the server answers. */
export async function pgAvailable(url: string): Promise<boolean> {
  try {
    await runAdmin(url, ['select 1']);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh schema for one run. Kysely's Migrator looks for its bookkeeping tables in every schema, so
 * they are created in ours first, exactly as it would (as test/support/test-store.ts does); the
 * `duly` command then migrates the schema itself.
 */
export async function createPgSchema(baseUrl: string, prefix: string): Promise<PgSchema> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  await runAdmin(baseUrl, [
    `create schema ${schema}`,
    `create table ${schema}.kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`,
    `create table ${schema}.kysely_migration_lock (id varchar(255) not null primary key, is_locked integer not null default 0)`,
  ]);
  const separator = baseUrl.includes('?') ? '&' : '?';
  return {
    schema,
    url: `${baseUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => runAdmin(baseUrl, [`drop schema if exists ${schema} cascade`]),
  };
}

/** Read-only SQL over either store, for watching a run from outside the workers. */
export interface StoreReader {
  all<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function openStoreReader(databaseUrl: string): Promise<StoreReader> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.slice('sqlite:'.length));
    db.exec('PRAGMA busy_timeout = 10000');
    return {
      all: async <T>(sql: string) => db.prepare(sql).all() as T[],
      close: async () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    all: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}

export interface StateCounts {
  touches: number;
  pending: number;
  byState: Record<string, number>;
  /** Owed invoices with no touch yet: the planner has not reached them. */
  unplanned: number;
}

const TERMINAL = new Set(['sent', 'delivered', 'dead', 'cancelled', 'skipped']);

export async function readStateCounts(reader: StoreReader): Promise<StateCounts> {
  const rows = await reader.all<{ state: string; n: number | string }>(
    'select state, count(*) as n from touches group by state',
  );
  const byState: Record<string, number> = {};
  let touches = 0;
  let pending = 0;
  for (const row of rows) {
    const n = Number(row.n);
    byState[row.state] = n;
    touches += n;
    if (!TERMINAL.has(row.state)) pending += n;
  }
  const [unplanned] = await reader.all<{ n: number | string }>(
    `select count(*) as n from invoices i where i.status in ('open', 'partial')
       and not exists (select 1 from touches t where t.subject_kind = 'invoice' and t.subject_id = i.id and t.tenant_id = i.tenant_id)`,
  );
  return { touches, pending, byState, unplanned: Number(unplanned?.n ?? 0) };
}

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state);
}
