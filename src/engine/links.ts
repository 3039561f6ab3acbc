import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signed links in messages: a recipient can unsubscribe from a channel without signing in. */

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function unsubscribeToken(
  secret: string,
  tenantId: string,
  contactId: string,
  channel: string,
): string {
  const payload = Buffer.from(JSON.stringify([tenantId, contactId, channel])).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/unsubscribe/${token}`;
}

/** The tenant, contact and channel of a valid token; null when it was not signed by us. */
export function readUnsubscribeToken(
  secret: string,
  token: string,
): { tenantId: string; contactId: string; channel: string } | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [tenantId, contactId, channel] = JSON.parse(
      Buffer.from(payload, 'base64url').toString(),
    ) as string[];
    if (!tenantId || !contactId || !channel) return null;
    return { tenantId, contactId, channel };
  } catch {
    return null;
  }
}
