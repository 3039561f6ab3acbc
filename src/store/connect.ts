import type { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { DulyError } from '../domain/errors.ts';
import type { Database } from './database.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { kyselySqliteDatabase, openSqliteFile } from './sqlite-driver.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw node:sqlite handle (SQLite only): for bulk paths and online backup. */
  sqlite: DatabaseSync | null;
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/duly.db';

// pg returns int8 as strings to protect precision; our int8 columns are epoch ms and minor units, well inside 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Opens `sqlite:PATH` (or `sqlite::memory:`) or `postgres://…`. */
export function openStore(url: string = DEFAULT_DATABASE_URL): Store {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || 'data/duly.db';
    const sqlite = openSqliteFile(path);
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: kyselySqliteDatabase(sqlite) }),
    });
    const checkpointer = path === ':memory:' ? null : startCheckpointer(path);
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
      // Kysely opens its driver on the first query; a store used only through the raw handle closes it here.
      if (sqlite.isOpen) sqlite.close();
    };
    return { db, dialect: 'sqlite', sqlite, url, close };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqlite: null, url, close: () => db.destroy() };
  }
  throw new DulyError(
    'invalid_config',
    `unsupported database URL "${redactUrl(url)}": use sqlite:PATH or postgres://USER@HOST:PORT/DB`,
    { field: 'DULY_DATABASE_URL' },
  );
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
