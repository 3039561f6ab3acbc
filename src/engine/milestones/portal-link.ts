import type { Kysely } from 'kysely';
import type { Milestone } from '../../domain/milestone-plan.ts';
import type { Instant } from '../../domain/types.ts';
import type { Database } from '../../store/database.ts';
import { loadMilestoneFacts } from '../../store/milestones-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import { type PortalClaim, readPortalToken } from './portal-token.ts';

/** What a portal link leads to, for the page it opens. */
export type PortalLink =
  /** Not signed by us, altered, or for another tenant or a milestone that is gone. */
  | { status: 'invalid' }
  | { status: 'expired'; expiresAt: Instant; askWhom: string }
  /** A link from an earlier review round: the milestone was marked ready again since. */
  | { status: 'superseded'; askWhom: string }
  | {
      status: 'open' | 'decided';
      claim: PortalClaim;
      milestone: Milestone;
      accountName: string;
      /** The contact the link was sent to, as the decision's author. */
      decidedBy: string;
    };

/** Reads a portal token against the stored milestone, at `now`, in the caller's transaction. */
export async function resolvePortalLink(
  db: Kysely<Database>,
  ctx: EngineCtx,
  token: string,
  now: Instant,
): Promise<PortalLink> {
  const reading = readPortalToken(ctx.runtime.linkSecret, token, now);
  if (reading.kind === 'invalid' || reading.claim.tenantId !== ctx.tenantId) return { status: 'invalid' };
  const { claim } = reading;
  const facts = (await loadMilestoneFacts(db, ctx.tenantId, [claim.milestoneId])).get(claim.milestoneId);
  if (!facts) return { status: 'invalid' };
  const owner = ctx.config.team.find((m) => m.id === facts.account.owner);
  const askWhom = owner
    ? `${owner.name}${owner.email ? ` (${owner.email})` : ''}`
    : `your contact at ${ctx.runtime.companyName}`;
  if (reading.kind === 'expired') return { status: 'expired', expiresAt: claim.expiresAt, askWhom };
  if (facts.milestone.readyAt !== claim.readyAt) return { status: 'superseded', askWhom };
  const decided = facts.milestone.state === 'approved' || facts.milestone.state === 'changes_requested';
  return {
    status: decided ? 'decided' : 'open',
    claim,
    milestone: facts.milestone,
    accountName: facts.account.name,
    decidedBy: `client:${claim.contactId ?? 'portal'}`,
  };
}

/** What a portal link shows, without changing anything: for the page a GET opens. */
export async function describePortalLink({
  ctx,
  input,
}: {
  ctx: EngineCtx;
  input: { token: string };
}): Promise<PortalLink> {
  return resolvePortalLink(ctx.store.db, ctx, input.token, ctx.clock());
}
