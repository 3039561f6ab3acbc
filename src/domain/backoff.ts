import type { RetryConfig } from './config.ts';

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from the base, capped,
 * with "equal jitter" (half fixed, half random) so that a provider outage does not end in a stampede.
 * A provider's Retry-After is a floor, never shortened. `random` is a parameter so tests are exact.
 */
export function retryDelayMs(
  attempt: number,
  retry: RetryConfig,
  random: number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential / 2 + (exponential / 2) * random);
  return Math.max(jittered, retryAfterMs ?? 0);
}
