import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from './connect.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDatabase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duly-checkpoint-'));
  dirs.push(dir);
  return join(dir, 'duly.db');
}

describe('SQLite checkpoints on their own thread', () => {
  it('should copy committed writes into the database file while the writer keeps its connection', async () => {
    const path = tempDatabase();
    const store = openStore(`sqlite:${path}`);
    const sqlite = store.sqlite;
    if (!sqlite) throw new Error('a SQLite store has its handle');
    sqlite.exec('create table notes (body text not null)');
    const insert = sqlite.prepare('insert into notes (body) values (?)');
    // 4 MB in four commits: far below the writer's own 64 MB auto-checkpoint, which stays silent.
    for (let commit = 0; commit < 4; commit += 1) {
      sqlite.exec('begin');
      for (let i = 0; i < 256; i += 1) insert.run('x'.repeat(4000));
      sqlite.exec('commit');
    }
    // In WAL mode only a checkpoint writes the database file itself.
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(4_000_000), {
      timeout: 5000,
      interval: 20,
    });
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    // The thread's connection closed first, so the writer's close was the last and removed the log.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('should end quietly, without an uncaught error, when its thread cannot open the file', async () => {
    const dir = dirname(tempDatabase());
    const errors: unknown[] = [];
    const onUncaught = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      // A directory is no database: the thread fails at once.
      const checkpointer = startCheckpointer(dir);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(checkpointer.stop()).resolves.toBeUndefined();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(errors).toEqual([]);
  });
});
