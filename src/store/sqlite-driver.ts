import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Opens a node:sqlite database tuned for one writer: WAL, a busy timeout, NORMAL sync. */
export function openSqliteFile(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec('PRAGMA temp_store = MEMORY');
  // 16 MB: the operating system caches the file too; a larger cache only raised peak memory in the tick benchmark.
  db.exec('PRAGMA cache_size = -16384');
  // A backstop: a file store's checkpoints run on a thread of their own (sqlite-checkpointer.ts). Should
  // that thread fall behind or fail, the writer checkpoints itself once the log passes 64 MB.
  db.exec('PRAGMA wal_autocheckpoint = 16384');
  return db;
}

/** Kysely's SqliteDialect takes anything shaped like better-sqlite3; node:sqlite fits behind this. */
export function kyselySqliteDatabase(db: DatabaseSync): SqliteDatabase {
  const statements = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const statement = db.prepare(sql);
      const columns = statement.columns().map((c) => c.name);
      if (columns.length > 0) statement.setReturnArrays(true);
      prepared = { statement, reader: columns.length > 0, toRow: rowMaker(columns) };
      if (statements.size > 500) statements.clear();
      statements.set(sql, prepared);
    }
    return prepared;
  };
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      // Kysely opens deferred transactions; take the write lock up front so two processes never deadlock on upgrade.
      const { statement, reader, toRow } = prepare(sql === 'begin' ? 'begin immediate' : sql);
      const bind = (params: ReadonlyArray<unknown>) => params.map(toSqlite) as never[];
      return {
        reader,
        all: (params) => (statement.all(...bind(params)) as unknown as unknown[][]).map(toRow),
        run: (params) => statement.run(...bind(params)),
        *iterate(params) {
          for (const values of statement.iterate(...bind(params)))
            yield toRow(values as unknown as unknown[]);
        },
      };
    },
  };
}

interface Prepared {
  statement: StatementSync;
  reader: boolean;
  toRow: (values: unknown[]) => Record<string, unknown>;
}

/**
 * Rows come from SQLite as arrays and become objects here, one literal per statement's columns: every
 * row of a statement then shares one shape. node:sqlite's own row objects are built key by key and
 * read slower; a tick reads hundreds of thousands of rows. A column named `__proto__` (never ours)
 * would set the prototype in a literal, so such rows are built key by key.
 */
function rowMaker(columns: string[]): (values: unknown[]) => Record<string, unknown> {
  if (columns.includes('__proto__')) {
    return (values) => {
      const row: Record<string, unknown> = Object.create(null);
      columns.forEach((name, i) => {
        row[name] = values[i];
      });
      return row;
    };
  }
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as (values: unknown[]) => Record<string, unknown>;
}

/** node:sqlite binds no booleans or undefined. */
function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
