import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from './connect.ts';

describe('SQLite rows', () => {
  it('should come back as plain objects with every selected column, in order', async () => {
    const store = openStore('sqlite::memory:');
    const { rows } = await sql<Record<string, unknown>>`select 1 as a, 'x' as b, null as c`.execute(store.db);
    expect(rows).toEqual([{ a: 1, b: 'x', c: null }]);
    expect(Object.keys(rows[0] ?? {})).toEqual(['a', 'b', 'c']);
    await store.close();
  });

  it('should keep a column named __proto__ as data, never as the prototype', async () => {
    const store = openStore('sqlite::memory:');
    const { rows } = await sql<Record<string, unknown>>`select 'evil' as "__proto__", 2 as n`.execute(
      store.db,
    );
    const row = rows[0] as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('evil');
    expect(row.n).toBe(2);
    await store.close();
  });
});
