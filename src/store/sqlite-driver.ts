import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Opens a node:sqlite database tuned for one writer: WAL, a busy timeout, NORMAL sync. */
export function openSqliteFile(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // 8 KB pages for a new database (an existing one keeps its size): a sandbox message of about 4 KB
  // fits one page instead of spilling to an overflow page; the tick benchmark ran about 5% faster.
  db.exec('PRAGMA page_size = 8192');
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec('PRAGMA temp_store = MEMORY');
  // 16 MB: the operating system caches the file too; a larger cache only raised peak memory in the tick benchmark.
  db.exec('PRAGMA cache_size = -16384');
  // Checkpoint less often: a tick writes tens of megabytes, and many small checkpoints cost more than a few large ones.
  db.exec('PRAGMA wal_autocheckpoint = 16384');
  return db;
}

/** Kysely's SqliteDialect takes anything shaped like better-sqlite3; node:sqlite fits behind this. */
export function kyselySqliteDatabase(db: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      // Kysely opens deferred transactions; take the write lock up front so two processes never deadlock on upgrade.
      const statement = prepare(sql === 'begin' ? 'begin immediate' : sql);
      const bind = (params: ReadonlyArray<unknown>) => params.map(toSqlite) as never[];
      return {
        reader: statement.columns().length > 0,
        all: (params) => statement.all(...bind(params)),
        run: (params) => statement.run(...bind(params)),
        iterate: (params) => statement.iterate(...bind(params)),
      };
    },
  };
}

/** node:sqlite binds no booleans or undefined. */
function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
