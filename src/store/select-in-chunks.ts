/**
 * Runs `select` over `keys` in chunks (for `where key in (…)`), keeping every statement well under the
 * databases' parameter limits, and concatenates the rows.
 */
export async function selectInChunks<K, R>(
  keys: readonly K[],
  select: (chunk: K[]) => Promise<R[]>,
  size = 500,
): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < keys.length; i += size) {
    for (const row of await select(keys.slice(i, i + size))) rows.push(row);
  }
  return rows;
}
