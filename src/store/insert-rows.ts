import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './database.ts';

export interface InsertRowsOptions<C extends string> {
  /** Rows per statement; columns × chunk must stay under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
  chunk?: number;
  /** On a conflict on `columns`, set `update` from the incoming row (an upsert), or with no `update` columns skip the row. */
  onConflict?: { columns: readonly C[]; update: readonly C[] };
}

// Compiled SQL per dialect adapter and statement shape.
const compiledByAdapter = new WeakMap<object, Map<string, string>>();

/**
 * Multi-row INSERT (or upsert) of positional rows, in chunks. Kysely compiles each statement shape once
 * and later chunks only bind values: at 100k rows, building the query tree costs more than the database.
 */
export async function insertRows<T extends keyof Database & string, C extends keyof Database[T] & string>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  rows: readonly (readonly unknown[])[],
  options: InsertRowsOptions<C> = {},
): Promise<number> {
  const chunk = options.chunk ?? 500;
  let affected = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const params: unknown[] = [];
    for (const row of slice) for (let i = 0; i < columns.length; i++) params.push(row[i]);
    const result = await db.executeQuery(
      CompiledQuery.raw(statementFor(db, table, columns, slice.length, options), params),
    );
    affected += Number(result.numAffectedRows ?? 0);
  }
  return affected;
}

function statementFor<T extends keyof Database & string, C extends string>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  rowCount: number,
  options: InsertRowsOptions<C>,
): string {
  const adapter = db.getExecutor().adapter;
  let cache = compiledByAdapter.get(adapter);
  if (!cache) {
    cache = new Map();
    compiledByAdapter.set(adapter, cache);
  }
  const key = JSON.stringify([table, columns, rowCount, options.onConflict ?? null]);
  let text = cache.get(key);
  if (text === undefined) {
    const blank = Object.fromEntries(columns.map((column) => [column, '']));
    let query: any = (db as Kysely<any>)
      .insertInto(table)
      .values(Array.from({ length: rowCount }, () => blank));
    const conflict = options.onConflict;
    if (conflict) {
      const set = Object.fromEntries(conflict.update.map((c) => [c, (eb: any) => eb.ref(`excluded.${c}`)]));
      query = query.onConflict((oc: any) =>
        conflict.update.length === 0
          ? oc.columns(conflict.columns).doNothing()
          : oc.columns(conflict.columns).doUpdateSet(set),
      );
    }
    const compiled: CompiledQuery = query.compile();
    if (compiled.parameters.length !== rowCount * columns.length)
      throw new Error(`insertRows: ${table} shape`);
    text = compiled.sql;
    cache.set(key, text);
  }
  return text;
}
