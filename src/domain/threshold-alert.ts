import type { Policy } from './config.ts';
import { stepOccurrences } from './occurrences.ts';
import { type PlanEnv, type SubjectPlan, scheduleSteps } from './schedule-steps.ts';
import type { AccountFacts, Instant } from './types.ts';

/** An account over a threshold policy's line since `since`: one alert episode. */
export interface AlertEpisode {
  policy: Policy;
  facts: AccountFacts;
  since: Instant;
}

/** Each episode's touches are distinct from an earlier episode's: the account crossed again. */
export const episodeKey = (accountId: string, since: Instant) => `${accountId}@${since}`;

/**
 * Plans an alert episode at `now`: steps timed from the crossing (`crossed`, `crossed+14d`), a repeat
 * with no end listed only up to the plan-ahead window, so the alert repeats for as long as the episode
 * lasts (the caller ends it when the condition clears). Pure.
 */
export function planThresholdAlert(episode: AlertEpisode, now: Instant, env: PlanEnv): SubjectPlan {
  const { policy, facts, since } = episode;
  const horizon = now + env.config.dispatch.planAheadMs;
  const occurrences = stepOccurrences(policy, { crossed: { at: since } }, horizon);
  const subject = {
    kind: 'account' as const,
    id: facts.account.id,
    accountId: facts.account.id,
    key: episodeKey(facts.account.id, since),
  };
  return scheduleSteps(policy, subject, facts, occurrences, now, env);
}
