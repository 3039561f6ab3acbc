import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { DulyError } from '../../src/domain/errors.ts';
import { backupSqlite } from '../../src/store/backup-sqlite.ts';
import { openStore, type Store } from '../../src/store/connect.ts';
import { DEFAULT_TENANT, migrateToLatest } from '../../src/store/migrate.ts';
import { TEST_EPOCH } from '../support/test-store.ts';

/** Rows of `events` in a SQLite file, and whether their ids run 1..n with no gap (a whole prefix of the inserts). */
function eventsIn(path: string): { count: number; contiguous: boolean; integrity: unknown } {
  const db = new DatabaseSync(path);
  try {
    const integrity = db.prepare('PRAGMA integrity_check').all();
    const row = db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS top FROM events').get() as {
      n: number;
      top: number;
    };
    return { count: row.n, contiguous: row.n === row.top, integrity };
  } finally {
    db.close();
  }
}

const event = (i: number) => ({
  tenant_id: DEFAULT_TENANT,
  source: 'test',
  event_id: `evt-${i}`,
  type: 'invoice.paid',
  payload: JSON.stringify({ i, note: 'x'.repeat(200) }),
  occurred_at: TEST_EPOCH + i,
  received_at: TEST_EPOCH + i,
});

/** ~30 MB of events, inserted in one transaction straight through node:sqlite. */
function seedEvents(store: Store, count: number): void {
  const sqlite = store.sqlite as DatabaseSync;
  const insert = sqlite.prepare(
    'INSERT INTO events (tenant_id, source, event_id, type, payload, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    const e = event(i);
    insert.run(e.tenant_id, e.source, e.event_id, e.type, e.payload, e.occurred_at, e.received_at);
  }
  sqlite.exec('COMMIT');
}

describe('duly backup (SQLite online backup)', () => {
  let dir: string;
  let url: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'duly-backup-'));
    url = `sqlite:${join(dir, 'duly.db')}`;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should copy one consistent snapshot while another connection keeps inserting', async () => {
    const server = openStore(url); // plays `duly serve`: its own connection, writing all along
    await migrateToLatest(server, TEST_EPOCH);
    seedEvents(server, 100_000);
    const before = eventsIn(join(dir, 'duly.db')).count;

    let written = 0;
    let stop = false;
    const writer = (async () => {
      for (let i = before; !stop; i++) {
        await server.db.insertInto('events').values(event(i)).execute();
        written++;
        await nextTurn();
      }
    })();
    while (written < 5) await nextTurn();

    const copier = openStore(url);
    const target = join(dir, 'copy.db');
    const writtenAtStart = written;
    const result = await backupSqlite(copier, target);
    const writtenDuringCopy = written - writtenAtStart;
    stop = true;
    await writer;
    const after = eventsIn(join(dir, 'duly.db')).count;
    await copier.close();
    await server.close();

    expect(writtenDuringCopy, 'the writer ran while the copy was taken').toBeGreaterThan(0);
    expect(result).toEqual({ pages: expect.any(Number), path: target });
    expect(result.pages).toBeGreaterThan(1_000);
    const copy = eventsIn(target);
    expect(copy.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(copy.count).toBeGreaterThanOrEqual(before + 5);
    expect(copy.count).toBeLessThanOrEqual(after);
    expect(copy.contiguous, 'a snapshot holds every insert up to a point, none after').toBe(true);
    expect(existsSync(`${target}.tmp`)).toBe(false);
  });

  it('should refuse to replace an existing file unless forced, and replace it whole when forced', async () => {
    const store = openStore(url);
    await migrateToLatest(store, TEST_EPOCH);
    seedEvents(store, 10);
    const target = join(dir, 'copy.db');
    writeFileSync(target, 'an older backup');
    writeFileSync(`${target}-wal`, 'a stale log that must not be replayed onto the new copy');

    const refused = await backupSqlite(store, target).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DulyError);
    expect((refused as DulyError).message).toMatch(/already exists.*--force/);

    await backupSqlite(store, target, { force: true });
    await store.close();
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(eventsIn(target)).toMatchObject({ count: 10, integrity: [{ integrity_check: 'ok' }] });
  });

  it('should refuse to copy the database onto itself', async () => {
    const store = openStore(url);
    await migrateToLatest(store, TEST_EPOCH);
    const refused = await backupSqlite(store, join(dir, 'duly.db'), { force: true }).catch((e: unknown) => e);
    await store.close();
    expect((refused as DulyError).message).toMatch(/database itself/);
    expect(eventsIn(join(dir, 'duly.db')).integrity).toEqual([{ integrity_check: 'ok' }]);
  });

  it('should refuse PostgreSQL and name pg_dump', async () => {
    const store = openStore('postgres://duly@127.0.0.1:1/duly'); // never connected: the refusal comes first
    const refused = await backupSqlite(store, join(dir, 'copy.db')).catch((e: unknown) => e);
    await store.close();
    expect(refused).toBeInstanceOf(DulyError);
    expect((refused as DulyError).code).toBe('invalid_input');
    expect((refused as DulyError).message).toMatch(/pg_dump/);
    expect(existsSync(join(dir, 'copy.db'))).toBe(false);
  });
});

describe('the duly backup command', () => {
  let dir: string;
  const saved = process.env.DULY_DATABASE_URL;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'duly-backup-cli-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.DULY_DATABASE_URL;
    else process.env.DULY_DATABASE_URL = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  async function duly(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err += String(chunk);
      return true;
    });
    try {
      return { code: await runCli(argv), out, err };
    } finally {
      vi.restoreAllMocks();
    }
  }

  it('should print the pages copied and the path, then refuse the same file without --force', async () => {
    process.env.DULY_DATABASE_URL = `sqlite:${join(dir, 'duly.db')}`;
    const store = openStore(process.env.DULY_DATABASE_URL);
    await migrateToLatest(store, TEST_EPOCH);
    await store.close();
    const target = join(dir, 'copy.db');

    const first = await duly('backup', target);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(new RegExp(`^\\d+ pages copied from sqlite:.*duly\\.db to ${target}\\n$`));

    const again = await duly('backup', target);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; name a new file, or pass --force/);
    expect((await duly('backup', target, '--force')).code).toBe(0);
  });

  it('should tell the user to use pg_dump when DULY_DATABASE_URL is PostgreSQL', async () => {
    process.env.DULY_DATABASE_URL = 'postgres://duly@127.0.0.1:1/duly';
    const result = await duly('backup', join(dir, 'copy.db'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^duly: DULY_DATABASE_URL: .*pg_dump/);
  });

  it('should say so when there is no database to copy, and create none', async () => {
    process.env.DULY_DATABASE_URL = `sqlite:${join(dir, 'missing.db')}`;
    const result = await duly('backup', join(dir, 'copy.db'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/no database at .*missing\.db/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});
