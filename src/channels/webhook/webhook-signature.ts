import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Instant } from '../../domain/types.ts';

/**
 * The `Duly-Signature` header value for a webhook body: `v1=` and the hex HMAC-SHA256, keyed by the
 * channel's secret, of `${timestamp}.${body}` (timestamp in Unix seconds, as sent in `Duly-Timestamp`).
 */
export function signWebhookBody(secret: string, timestamp: number | string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookSignatureCheck {
  secret: string;
  /** The `Duly-Signature` header; several comma-separated `v1=` values are accepted (secret rotation). */
  header: string | null | undefined;
  /** The `Duly-Timestamp` header. */
  timestamp: string | number | null | undefined;
  /** The raw request body, exactly as received. */
  body: string;
  now: Instant;
  toleranceSeconds?: number;
}

/** For receivers: true when the body was signed with the secret within the tolerance (default 5 minutes). */
export function verifyWebhookSignature({
  secret,
  header,
  timestamp,
  body,
  now,
  toleranceSeconds = 300,
}: WebhookSignatureCheck): boolean {
  if (!header || timestamp === null || timestamp === undefined) return false;
  const seconds = String(timestamp).trim();
  // Replays of an old, validly signed request are refused by the timestamp window.
  if (!/^\d+$/.test(seconds) || Math.abs(now / 1000 - Number(seconds)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, seconds, body));
  return header
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
