/** One benchmark result as the JSON line `npm run bench` prints. */
export function printBenchLine(
  name: string,
  n: number,
  seconds: number,
  extra: Record<string, unknown> = {},
): void {
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const line = {
    name,
    n,
    seconds: Number(seconds.toFixed(3)),
    per_second: Math.round(n / seconds),
    rss_mb: Math.round(rssMb),
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function argNumber(name: string, fallback: number): number {
  const fromEnv = process.env[`BENCH_${name.toUpperCase()}`];
  const value = fromEnv ? Number(fromEnv) : fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`BENCH_${name.toUpperCase()} must be a positive number`);
  return value;
}
