import type { SendResult } from '../../channels/channel.ts';
import { retryDelayMs } from '../../domain/backoff.ts';
import type { RetryConfig } from '../../domain/config.ts';
import type { GuardDecision } from '../../domain/send-guard.ts';
import type { Instant, Touch } from '../../domain/types.ts';
import type { Outcome } from './outcome-recorder.ts';

/** What a guard's verdict does to a touch: deferred, skipped or cancelled, with the reason. */
export function decisionOutcome(
  touch: Touch,
  decision: Exclude<GuardDecision, { kind: 'send' }>,
  now: Instant,
): Outcome {
  const state = decision.kind === 'defer' ? 'deferred' : decision.kind === 'skip' ? 'skipped' : 'cancelled';
  return {
    update: {
      id: Number(touch.id),
      state,
      reason: decision.reason,
      nextAttemptAt: decision.kind === 'defer' ? decision.until : null,
      providerMessageId: null,
    },
    attempt: null,
    audit: {
      at: now,
      kind: `touch.${state}`,
      subject: `touch:${touch.id}`,
      actor: 'dispatcher',
      data:
        decision.kind === 'defer'
          ? { reason: decision.reason, until: decision.until }
          : { reason: decision.reason },
    },
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
    audit: {
      at: now,
      kind: `touch.${state}`,
      subject: `touch:${touch.id}`,
      actor: 'dispatcher',
      data: {
        attempt: touch.attempts,
        channel: touch.channel,
        provider_message_id: providerMessageId,
        reason,
        next_attempt_at: nextAttemptAt,
      },
    },
  };
}
