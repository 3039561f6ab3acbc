import type { Policy } from './config.ts';
import { type AnchorTimes, instantAnchor, stepOccurrences } from './occurrences.ts';
import { type PlanEnv, type SubjectPlan, scheduleSteps } from './schedule-steps.ts';
import { accountPauseStop, type StopDecision } from './send-guard.ts';
import {
  type Account,
  type AccountFacts,
  type Instant,
  MANUAL_CYCLE,
  type Minor,
  type Touch,
} from './types.ts';

export const MILESTONE_STATES = ['pending', 'ready', 'approved', 'changes_requested'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];
export type MilestoneDecision = 'approved' | 'changes_requested';

/** Work ready (or not yet) for the client's approval. Each `ready_at` starts a new review round. */
export interface Milestone {
  id: string;
  accountId: string;
  contractId: string | null;
  title: string;
  amount: Minor | null;
  currency: string | null;
  state: MilestoneState;
  readyAt: Instant | null;
  decidedAt: Instant | null;
  /** `client:<contact id>`, `client:portal` or the staff actor who recorded the decision. */
  decidedBy: string | null;
  decisionNote: string | null;
}

export interface MilestoneFacts extends AccountFacts {
  milestone: Milestone;
}

/** A portal link is good for this long after the milestone was marked ready (its round began). */
export const MILESTONE_LINK_TTL_MS = 14 * 86_400_000;

export const isDecided = (m: Milestone): boolean => m.state === 'approved' || m.state === 'changes_requested';

/** What makes one review round's messages distinct from the next round's: `M-1@<ready_at>`. */
export const milestoneRoundKey = (m: Pick<Milestone, 'id' | 'readyAt'>): string => `${m.id}@${m.readyAt}`;

/** `ready` when the round began; `decided` only once the client decided in this round. */
export function milestoneAnchors(m: Milestone): AnchorTimes {
  const decided = isDecided(m) && m.decidedAt !== null && m.readyAt !== null && m.decidedAt >= m.readyAt;
  return {
    ...(m.readyAt === null ? {} : { ready: instantAnchor(m.readyAt) }),
    ...(decided ? { decided: instantAnchor(m.decidedAt) } : {}),
  };
}

/**
 * The milestone policies an account follows: its own when staff set one, else every milestone policy
 * whose tag conditions hold (the other conditions speak of invoices).
 */
export function milestonePolicies(policies: Policy[], account: Account): Policy[] {
  const own = policies.find((p) => p.id === account.policyId && p.trigger === 'milestone');
  if (own) return [own];
  return policies.filter((p) => {
    if (p.trigger !== 'milestone') return false;
    const when = p.when;
    if (when?.tagsAny && !when.tagsAny.some((t) => account.tags.includes(t))) return false;
    if (when?.tagsNone?.some((t) => account.tags.includes(t))) return false;
    return true;
  });
}

const speaksToClient = (policy: Policy, stepIndex: number): boolean =>
  policy.steps[stepIndex]?.to.some((t) => t.audience === 'client') ?? false;

/**
 * Plans one milestone at `now` under every policy it follows. Client steps only while it waits for the
 * client (state `ready`): once decided, reminders are moot. Pure.
 */
export function planMilestone(
  policies: Policy[],
  facts: MilestoneFacts,
  now: Instant,
  env: PlanEnv,
): SubjectPlan {
  const { milestone } = facts;
  const plan: SubjectPlan = { touches: [], nextPlanAt: null };
  if (milestone.readyAt === null || milestone.state === 'pending') return plan;
  const subject = {
    kind: 'milestone' as const,
    id: milestone.id,
    accountId: facts.account.id,
    key: milestoneRoundKey(milestone),
  };
  const anchors = milestoneAnchors(milestone);
  for (const policy of milestonePolicies(policies, facts.account)) {
    const occurrences = stepOccurrences(policy, anchors, now).filter(
      (o) => milestone.state === 'ready' || !speaksToClient(policy, o.stepIndex),
    );
    const own = scheduleSteps(policy, subject, facts, occurrences, now, env);
    plan.touches.push(...own.touches);
    if (own.nextPlanAt !== null && (plan.nextPlanAt === null || own.nextPlanAt < plan.nextPlanAt)) {
      plan.nextPlanAt = own.nextPlanAt;
    }
  }
  return plan;
}

const MOOT_REASON: Record<MilestoneState, string> = {
  pending: 'milestone is no longer ready for review',
  ready: '',
  approved: 'milestone approved',
  changes_requested: 'changes requested',
};

/**
 * The subject half of the last look before a milestone message: a touch of an earlier review round is
 * moot, a client message only goes while the milestone waits for the client, and the account's hold
 * holds client messages back.
 */
export function milestoneStop(touch: Touch, facts: MilestoneFacts | null, now: Instant): StopDecision | null {
  if (!facts) return { kind: 'cancel', reason: 'milestone no longer exists' };
  const { milestone } = facts;
  if (!touch.dedupeKey.includes(`/${milestoneRoundKey(milestone)}/`) && touch.cycle !== MANUAL_CYCLE) {
    return { kind: 'cancel', reason: 'a new review round began' };
  }
  if (touch.audience !== 'client') return null;
  if (milestone.state !== 'ready') return { kind: 'cancel', reason: MOOT_REASON[milestone.state] };
  return accountPauseStop(touch, facts, now);
}
