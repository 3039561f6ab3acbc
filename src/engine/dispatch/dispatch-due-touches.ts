import type { SendResult } from '../../channels/channel.ts';
import { retryDelayMs } from '../../domain/backoff.ts';
import { type GuardDecision, guardTouch } from '../../domain/send-guard.ts';
import type { Instant, InvoiceFacts, Touch } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import { claimDueTouches, updateTouches } from '../../store/outbox-repo.ts';
import { touchFromRow } from '../../store/touches-repo.ts';
import { deliversLocally, type EngineCtx } from '../runtime.ts';
import { runPool } from './async-pool.ts';
import { type ComposeEnv, composeMessage, type TouchGroup } from './compose-message.ts';
import { createOutcomeRecorder, type Outcome } from './outcome-recorder.ts';

export interface DispatchCounts {
  sent: number;
  deferred: number;
  skipped: number;
  cancelled: number;
  retrying: number;
  dead: number;
}

export interface DispatchOptions {
  now: Instant;
  /** Random source for retry jitter, in [0, 1). */
  random: () => number;
  /** Once true, no new message is started and unstarted claims are given back. */
  stopped?: () => boolean;
  composeEnv: Omit<ComposeEnv, 'renderer' | 'tenantId'>;
}

const emptyCounts = (): DispatchCounts => ({
  sent: 0,
  deferred: 0,
  skipped: 0,
  cancelled: 0,
  retrying: 0,
  dead: 0,
});

function decisionOutcome(
  touch: Touch,
  decision: Exclude<GuardDecision, { kind: 'send' }>,
  now: Instant,
): Outcome {
  const state = decision.kind === 'defer' ? 'deferred' : decision.kind === 'skip' ? 'skipped' : 'cancelled';
  return {
    // A deferral is not an attempt: give back the count the claim took.
    update: {
      id: Number(touch.id),
      state,
      reason: decision.reason,
      nextAttemptAt: decision.kind === 'defer' ? decision.until : null,
      providerMessageId: null,
      attemptsDelta: -1,
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

function sendOutcome(
  touch: Touch,
  result: SendResult,
  ctx: EngineCtx,
  options: DispatchOptions,
  finishedAt: Instant,
): Outcome {
  const { now } = options;
  const retry = ctx.config.retry;
  let state: string;
  let reason: string | null = null;
  let nextAttemptAt: number | null = null;
  if (result.kind === 'sent') state = 'sent';
  else if (result.kind === 'failed') {
    state = 'dead';
    reason = result.reason;
  } else if (touch.attempts >= retry.maxAttempts) {
    state = 'dead';
    reason = `gave up after ${touch.attempts} attempts: ${result.reason}`;
  } else {
    state = 'retrying';
    reason = result.reason;
    nextAttemptAt = now + retryDelayMs(touch.attempts, retry, options.random(), result.afterMs);
  }
  const providerMessageId = result.kind === 'sent' ? result.providerMessageId : null;
  return {
    update: { id: Number(touch.id), state, reason, nextAttemptAt, providerMessageId },
    attempt: {
      touchId: Number(touch.id),
      attemptNo: touch.attempts,
      channel: touch.channel,
      startedAt: now,
      finishedAt,
      outcome: result.kind === 'sent' ? 'sent' : result.kind,
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

function groupKey(touch: Touch, grouped: boolean): string {
  const base = `${touch.accountId}|${touch.audience}|${touch.recipient}|${touch.channel}|${touch.dueAt}`;
  return grouped ? base : `${base}|${touch.id}`;
}

/**
 * Sends everything due at `now`: claims a batch, re-checks each touch (guards), groups what may go
 * out together, renders, sends with a bounded number in flight, and records every outcome.
 */
export async function dispatchDueTouches(ctx: EngineCtx, options: DispatchOptions): Promise<DispatchCounts> {
  const { store, tenantId, config, runtime } = ctx;
  const { now } = options;
  const counts = emptyCounts();
  const stopped = options.stopped ?? (() => false);
  const composeEnv: ComposeEnv = { ...options.composeEnv, renderer: runtime.renderer, tenantId };
  const groupedPolicies = new Set(config.policies.filter((p) => p.group).map((p) => p.id));
  const recorder = createOutcomeRecorder(store, tenantId, now, runtime.localMessages);
  const count = (outcomes: Outcome[]) => {
    for (const o of outcomes) counts[o.update.state as keyof DispatchCounts] += 1;
  };

  while (!stopped()) {
    const rows = await store.db.transaction().execute(async (trx) => {
      const claimed = await claimDueTouches(
        trx,
        store.dialect,
        tenantId,
        now,
        config.dispatch.batchSize,
        config.dispatch.leaseMs,
      );
      await appendAudit(
        trx,
        tenantId,
        claimed.map((r) => ({
          at: now,
          kind: 'touch.sending',
          subject: `touch:${r.id}`,
          actor: 'dispatcher',
          data: { attempt: r.attempts },
        })),
      );
      return claimed;
    });
    if (rows.length === 0) break;
    const touches = rows.map(touchFromRow);
    const facts = await loadInvoiceFacts(
      store.db,
      tenantId,
      touches.map((t) => t.invoiceId),
    );

    const decided: Outcome[] = [];
    const groups = new Map<string, TouchGroup>();
    for (const touch of touches) {
      const channel = runtime.channels.get(touch.channel);
      const decision = guardTouch(touch, facts.get(touch.invoiceId) ?? null, now, {
        config,
        window: runtime.planEnv.window,
        addressKind: channel ? channel.addressKind : undefined,
      });
      if (decision.kind !== 'send') {
        decided.push(decisionOutcome(touch, decision, now));
        continue;
      }
      const key = groupKey(touch, groupedPolicies.has(touch.policyId));
      const group = groups.get(key);
      if (group) group.touches.push(touch);
      else groups.set(key, { key, touches: [touch], target: decision.target });
    }
    count(decided);
    const decidedWritten = recorder.record(decided);

    const localRecords: Promise<void>[] = [];
    const unstarted = await runPool(
      [...groups.values()],
      config.dispatch.maxInFlight,
      async (group) => {
        const outcomes = await sendGroup(ctx, group, facts, options, composeEnv);
        count(outcomes);
        const written = recorder.record(outcomes);
        // A local delivery commits with its outcome, so there is nothing to wait for before the next one.
        if (deliversLocally(runtime.channels.get(group.touches[0]?.channel ?? ''))) {
          written.catch(() => {}); // awaited below with the others; this only keeps Node from calling it unhandled
          localRecords.push(written);
        } else await written;
      },
      stopped,
    );
    await Promise.all([decidedWritten, ...localRecords]);
    if (unstarted.length > 0)
      await releaseClaims(
        ctx,
        unstarted.flatMap((g) => g.touches),
        now,
      );
  }
  return counts;
}

async function sendGroup(
  ctx: EngineCtx,
  group: TouchGroup,
  facts: Map<string, InvoiceFacts>,
  options: DispatchOptions,
  composeEnv: ComposeEnv,
): Promise<Outcome[]> {
  const first = group.touches[0] as Touch;
  const channel = ctx.runtime.channels.get(first.channel);
  let result: SendResult;
  try {
    if (!channel) throw new Error(`channel ${first.channel} is not configured`);
    const message = composeMessage(group, facts, options.now, composeEnv);
    result = await channel.sender.send(message, {
      now: options.now,
      signal: AbortSignal.timeout(ctx.config.dispatch.sendTimeoutMs),
    });
  } catch (error) {
    // A render or adapter bug must not lose the touch: it is retried, then ends dead with the reason.
    result = { kind: 'retry', reason: `internal error: ${(error as Error).message}` };
    ctx.logger.error({ err: error, touches: group.touches.map((t) => t.id) }, 'send failed unexpectedly');
  }
  return group.touches.map((touch) => sendOutcome(touch, result, ctx, options, options.now));
}

/** Gives back claims that were never started (on shutdown), as if they had not been claimed. */
async function releaseClaims(ctx: EngineCtx, touches: Touch[], now: Instant): Promise<void> {
  await updateTouches(
    ctx.store.db,
    ctx.store.dialect,
    touches.map((t) => ({
      id: Number(t.id),
      state: t.attempts > 1 ? 'retrying' : 'planned',
      reason: t.reason,
      nextAttemptAt: t.nextAttemptAt ?? now,
      providerMessageId: null,
      attemptsDelta: -1,
    })),
    now,
  );
}
