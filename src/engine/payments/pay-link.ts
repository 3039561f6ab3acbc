import { readSignedToken, signedToken } from '../links.ts';

/** Signed pay links in client notices: the client sees what is owed without signing in. */

const PAY = 'pay';

export function payUrl(publicUrl: string, secret: string, tenantId: string, invoiceId: string): string {
  return `${publicUrl.replace(/\/$/, '')}/pay/${signedToken(secret, [PAY, tenantId, invoiceId])}`;
}

/** The tenant and invoice of a pay token signed by us; null for anything else (an unsubscribe token too). */
export function readPayToken(secret: string, token: string): { tenantId: string; invoiceId: string } | null {
  const [kind, tenantId, invoiceId, extra] = readSignedToken(secret, token) ?? [];
  if (kind !== PAY || extra !== undefined) return null;
  if (typeof tenantId !== 'string' || typeof invoiceId !== 'string' || !tenantId || !invoiceId) return null;
  return { tenantId, invoiceId };
}

export function invoiceUrl(publicUrl: string, invoiceNumber: string): string {
  return `${publicUrl.replace(/\/$/, '')}/invoices/${encodeURIComponent(invoiceNumber)}`;
}
