import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeToken } from '../links.ts';
import { type PortalClaim, portalToken, portalUrl, readPortalToken } from './portal-token.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');
const claim: PortalClaim = {
  tenantId: 'default',
  milestoneId: 'M-1',
  readyAt: NOW,
  expiresAt: NOW + 14 * 86_400_000,
  contactId: 'jane',
};

describe('portal tokens', () => {
  it('should read back what was signed until it expires', () => {
    const token = portalToken('secret', claim);
    expect(readPortalToken('secret', token, NOW)).toEqual({ kind: 'valid', claim });
    expect(readPortalToken('secret', token, claim.expiresAt)).toEqual({ kind: 'expired', claim });
    expect(portalUrl('https://billing.example.com/', token)).toBe(
      `https://billing.example.com/portal/milestones/${token}`,
    );
  });

  it.each([
    ['another secret', (t: string) => t, 'other'],
    ['a changed payload', (t: string) => `x${t}`, 'secret'],
    ['a cut signature', (t: string) => t.slice(0, -2), 'secret'],
    ['an extra part', (t: string) => `${t}.x`, 'secret'],
  ])('should refuse a token with %s', (_name, change, secret) => {
    expect(readPortalToken(secret, change(portalToken('secret', claim)), NOW)).toEqual({ kind: 'invalid' });
  });

  it('should not take an unsubscribe link for a portal link, nor the other way round', () => {
    expect(readPortalToken('secret', unsubscribeToken('secret', 'default', 'jane', 'email'), NOW)).toEqual({
      kind: 'invalid',
    });
    expect(readUnsubscribeToken('secret', portalToken('secret', claim))).toBeNull();
  });

  it('should keep the unsubscribe token format that links already sent carry', () => {
    const payload = Buffer.from(JSON.stringify(['default', 'jane', 'email'])).toString('base64url');
    const signature = createHmac('sha256', 'secret').update(payload).digest('base64url');
    expect(unsubscribeToken('secret', 'default', 'jane', 'email')).toBe(`${payload}.${signature}`);
    expect(readUnsubscribeToken('secret', `${payload}.${signature}`)).toEqual({
      tenantId: 'default',
      contactId: 'jane',
      channel: 'email',
    });
  });
});
