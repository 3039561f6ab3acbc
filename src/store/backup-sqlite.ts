import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { backup } from 'node:sqlite';
import { DulyError } from '../domain/errors.ts';
import type { Store } from './connect.ts';

export interface BackupResult {
  /** Database pages copied. */
  pages: number;
  /** Absolute path of the copy. */
  path: string;
}

/**
 * Pages per backup step: all of them. The whole copy then reads one snapshot, while `duly serve` keeps
 * writing (WAL). In smaller steps, every write from another connection restarts the copy, and a busy
 * server never lets it finish (seen: a 100-page step against a steady writer ran for ten minutes).
 */
const ALL_PAGES = 2_147_483_647;

/** Files SQLite may keep beside a database: a stale one next to a new copy would be read as its own. */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * A consistent copy of the SQLite database at `file`, taken with SQLite's online backup while others
 * read and write. Written to `FILE.tmp` and renamed when complete, so `file` is never half written.
 * Refuses PostgreSQL (use pg_dump), an existing `file` unless `force`, and the database itself.
 */
export async function backupSqlite(
  store: Store,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  if (store.dialect !== 'sqlite' || !store.sqlite) {
    throw new DulyError(
      'invalid_input',
      'duly backup copies SQLite databases; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=duly.dump "$DULY_DATABASE_URL"',
      { field: 'DULY_DATABASE_URL' },
    );
  }
  const path = resolve(file);
  const source = sqliteFileOf(store.url);
  if (isSameFile(path, source === null ? null : resolve(source))) {
    throw new DulyError('invalid_input', 'is the database itself; name a new file for the copy', { file });
  }
  if (existsSync(path)) {
    if (!options.force) {
      throw new DulyError('conflict', 'already exists; name a new file, or pass --force to replace it', {
        file,
      });
    }
    if (statSync(path).isDirectory()) {
      throw new DulyError('invalid_input', 'is a directory; name a file for the copy', { file });
    }
  }
  if (!existsSync(dirname(path))) {
    throw new DulyError('invalid_input', `the directory ${dirname(path)} does not exist`, { file });
  }

  const temporary = `${path}.tmp`;
  removeWithSideFiles(temporary);
  let pages: number;
  try {
    pages = await backup(store.sqlite, temporary, { rate: ALL_PAGES });
  } catch (error) {
    removeWithSideFiles(temporary);
    throw new DulyError('unavailable', `backup failed: ${(error as Error).message}`, { file });
  }
  for (const suffix of SIDE_FILES) rmSync(`${path}${suffix}`, { force: true });
  renameSync(temporary, path);
  return { pages, path };
}

/** The database file a `sqlite:` URL names (as `openStore` reads it), or null for memory and other URLs. */
export function sqliteFileOf(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const path = url.slice('sqlite:'.length) || 'data/duly.db';
  return path === ':memory:' ? null : path;
}

function isSameFile(a: string, b: string | null): boolean {
  if (b === null) return false;
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
}
