import type { Instant } from '../../domain/types.ts';
import { readSignedToken, signedToken } from '../links.ts';

/** What a milestone portal link stands for: one review round of one milestone, for one contact. */
export interface PortalClaim {
  tenantId: string;
  milestoneId: string;
  /** The round: the milestone's `ready_at` when the link was made. */
  readyAt: Instant;
  expiresAt: Instant;
  /** The contact the link was sent to, or null for a link made for staff to pass on. */
  contactId: string | null;
}

export type PortalTokenReading =
  | { kind: 'valid'; claim: PortalClaim }
  | { kind: 'expired'; claim: PortalClaim }
  | { kind: 'invalid' };

// Marks the token's purpose, so that no other signed token (an unsubscribe link) reads as a portal link.
const PURPOSE = 'milestone-portal';

export function portalToken(secret: string, claim: PortalClaim): string {
  const { tenantId, milestoneId, readyAt, expiresAt, contactId } = claim;
  return signedToken(secret, [PURPOSE, tenantId, milestoneId, readyAt, expiresAt, contactId]);
}

export function portalUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/portal/milestones/${token}`;
}

/** Whether a token is ours and untouched, and whether it has expired at `now`. */
export function readPortalToken(secret: string, token: string, now: Instant): PortalTokenReading {
  const values = readSignedToken(secret, token);
  if (values?.length !== 6 || values[0] !== PURPOSE) return { kind: 'invalid' };
  const [, tenantId, milestoneId, readyAt, expiresAt, contactId] = values;
  if (
    typeof tenantId !== 'string' ||
    typeof milestoneId !== 'string' ||
    typeof readyAt !== 'number' ||
    typeof expiresAt !== 'number' ||
    (contactId !== null && typeof contactId !== 'string')
  ) {
    return { kind: 'invalid' };
  }
  const claim: PortalClaim = { tenantId, milestoneId, readyAt, expiresAt, contactId };
  return expiresAt <= now ? { kind: 'expired', claim } : { kind: 'valid', claim };
}
