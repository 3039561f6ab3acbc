import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signed links in messages: a recipient can unsubscribe, or a client approve a milestone, without signing in. */

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** A token carrying `values`, signed with HMAC-SHA256: `<base64url JSON>.<base64url signature>`. */
export function signedToken(secret: string, values: readonly unknown[]): string {
  const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The values of a token signed with `secret` (compared in constant time); null when it was not signed by us. */
export function readSignedToken(secret: string, token: string): unknown[] | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return Array.isArray(values) ? values : null;
  } catch {
    return null;
  }
}

export function unsubscribeToken(
  secret: string,
  tenantId: string,
  contactId: string,
  channel: string,
): string {
  return signedToken(secret, [tenantId, contactId, channel]);
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/unsubscribe/${token}`;
}

/** The tenant, contact and channel of a valid token; null when it was not signed by us. */
export function readUnsubscribeToken(
  secret: string,
  token: string,
): { tenantId: string; contactId: string; channel: string } | null {
  const values = readSignedToken(secret, token);
  // Exactly three values: no other signed token (a milestone portal link) reads as an unsubscribe link.
  if (values?.length !== 3) return null;
  const [tenantId, contactId, channel] = values;
  if (typeof tenantId !== 'string' || typeof contactId !== 'string' || typeof channel !== 'string')
    return null;
  if (!tenantId || !contactId || !channel) return null;
  return { tenantId, contactId, channel };
}
