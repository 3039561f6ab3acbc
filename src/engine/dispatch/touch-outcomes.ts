import type { SendResult } from '../../channels/channel.ts';
import { retryDelayMs } from '../../domain/backoff.ts';
import type { RetryConfig } from '../../domain/config.ts';
import type { GuardDecision } from '../../domain/send-guard.ts';
import type { Instant, Touch } from '../../domain/types.ts';
import type { AuditInput } from '../../store/audit.ts';
import type { Outcome } from './outcome-recorder.ts';

/**
 * An audit entry's data for a touch transition: the touch's identity (so the trail alone tells what
 * was sent to whom) and the transition's details, keys in sorted order so hashing needs no copy.
 */
export function transitionData(
  touch: Touch,
  details: {
    attempt?: number;
    next_attempt_at?: number | null;
    provider_message_id?: string | null;
    reason?: string | null;
    until?: number;
  },
): Record<string, unknown> {
  return {
    attempt: details.attempt,
    channel: touch.channel,
    dedupe_key: touch.dedupeKey,
    next_attempt_at: details.next_attempt_at,
    provider_message_id: details.provider_message_id,
    reason: details.reason,
    scheduled_at: touch.scheduledAt,
    until: details.until,
  };
}

/** The audit entry of one touch transition, written by the dispatcher. */
export function transitionAudit(
  touch: Touch,
  state: string,
  now: Instant,
  details: Parameters<typeof transitionData>[1],
): AuditInput {
  return {
    at: now,
    kind: `touch.${state}`,
    subject: `touch:${touch.id}`,
    actor: 'dispatcher',
    data: transitionData(touch, details),
  };
}

/** What a guard's verdict does to a touch: deferred, skipped or cancelled, with the reason. */
export function decisionOutcome(
  touch: Touch,
  decision: Exclude<GuardDecision, { kind: 'send' }>,
  now: Instant,
  /** -1 when the touch was already marked `sending` (which counted an attempt) and is not sent. */
  attemptsDelta = 0,
): Outcome {
  const state = decision.kind === 'defer' ? 'deferred' : decision.kind === 'skip' ? 'skipped' : 'cancelled';
  return {
    update: {
      id: Number(touch.id),
      state,
      reason: decision.reason,
      nextAttemptAt: decision.kind === 'defer' ? decision.until : null,
      providerMessageId: null,
      attemptsDelta,
    },
    attempt: null,
    audit: transitionAudit(touch, state, now, {
      reason: decision.reason,
      ...(decision.kind === 'defer' ? { until: decision.until } : {}),
    }),
  };
}

/**
 * What a provider's answer does to a touch: `sent`; `retrying` with exponential backoff and jitter
 * (never sooner than Retry-After); `dead` for a permanent refusal or once the attempts run out.
 */
export function sendOutcome(
  touch: Touch,
  result: SendResult,
  retry: RetryConfig,
  options: { now: Instant; random: () => number },
  /** 1 when the attempt was not counted when the touch was claimed (local deliveries). */
  attemptsDelta = 0,
): Outcome {
  const { now } = options;
  let state = 'sent';
  let reason: string | null = null;
  let nextAttemptAt: number | null = null;
  if (result.kind === 'failed') {
    state = 'dead';
    reason = result.reason;
  } else if (result.kind === 'retry' && touch.attempts >= retry.maxAttempts) {
    state = 'dead';
    reason = `gave up after ${touch.attempts} attempts: ${result.reason}`;
  } else if (result.kind === 'retry') {
    state = 'retrying';
    reason = result.reason;
    nextAttemptAt = now + retryDelayMs(touch.attempts, retry, options.random(), result.afterMs);
  }
  const providerMessageId = result.kind === 'sent' ? result.providerMessageId : null;
  return {
    update: { id: Number(touch.id), state, reason, nextAttemptAt, providerMessageId, attemptsDelta },
    attempt: {
      touchId: Number(touch.id),
      attemptNo: touch.attempts,
      channel: touch.channel,
      startedAt: now,
      finishedAt: now,
      outcome: result.kind,
      providerMessageId,
      detail: reason,
    },
    audit: transitionAudit(touch, state, now, {
      attempt: touch.attempts,
      next_attempt_at: nextAttemptAt,
      provider_message_id: providerMessageId,
      reason,
    }),
  };
}
