import type { Instant } from '../domain/types.ts';

/**
 * Milliseconds to wait from an HTTP `Retry-After` header: delay-seconds (`7`) or an HTTP-date, which is
 * read relative to `now` rather than the clock. Undefined when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now: Instant): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
