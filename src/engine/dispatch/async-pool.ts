/** Runs `work` over items with at most `limit` in flight; stops taking new items once `stopped()` is true. */
export async function runPool<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<T[]> {
  let next = 0;
  const untouched: T[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      if (stopped()) untouched.push(item);
      else await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return untouched;
}
