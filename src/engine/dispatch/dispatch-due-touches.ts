import type { Kysely } from 'kysely';
import type { SendResult } from '../../channels/channel.ts';
import { catchUpSkipReason } from '../../domain/catch-up.ts';
import { type Instant, MANUAL_CYCLE, type Touch } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import {
  extendLeases,
  markSending,
  selectDueTouches,
  supersededTouchIds,
  updateTouches,
} from '../../store/outbox-repo.ts';
import { touchFromRow } from '../../store/touches-repo.ts';
import { recordTouchCharges } from '../holds/record-touch-charges.ts';
import { deliversLocally, type EngineCtx } from '../runtime.ts';
import { subjectHandler } from '../subjects/index.ts';
import { factsOf, loadSubjectFacts, type SubjectFactsMap } from '../subjects/subject-facts.ts';
import { runPool } from './async-pool.ts';
import { type ComposeEnv, composeMessage, type TouchGroup } from './compose-message.ts';
import { createOutcomeRecorder, type Outcome, type OutcomeScope, writeOutcomes } from './outcome-recorder.ts';
import { decisionOutcome, sendOutcome, transitionAudit } from './touch-outcomes.ts';

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
  /** Dispatch only these touches (an urgent event's own), leaving everything else to the tick. */
  touchIds?: number[];
}

const NEVER_ABORTED = new AbortController().signal;
/** Local messages rendered before they and their outcomes are written (within the batch's transaction). */
const LOCAL_CHUNK = 64;

interface ClaimedBatch {
  /** Groups for outside providers: sent after the claim commits. */
  external: TouchGroup[];
  facts: SubjectFactsMap;
}

/**
 * Sends everything due at `now`, batch by batch. Each batch is claimed in one transaction that also
 * settles everything needing no outside provider: the guards' verdicts (cancel, skip, defer) and
 * in-app or sandbox deliveries (planned to sent in one commit). Touches for outside providers are
 * marked `sending` in that commit and go out after it, a bounded number in flight, each outcome
 * recorded as it arrives.
 */
export async function dispatchDueTouches(ctx: EngineCtx, options: DispatchOptions): Promise<DispatchCounts> {
  const { store, tenantId } = ctx;
  const counts: DispatchCounts = { sent: 0, deferred: 0, skipped: 0, cancelled: 0, retrying: 0, dead: 0 };
  const count = (outcomes: Outcome[]) => {
    for (const o of outcomes) counts[o.update.state as keyof DispatchCounts] += 1;
  };
  const stopped = options.stopped ?? (() => false);
  const composeEnv: ComposeEnv = {
    config: ctx.config,
    renderer: ctx.runtime.renderer,
    tenantId,
    publicUrl: ctx.config.publicUrl,
    companyName: ctx.runtime.companyName,
    linkSecret: ctx.runtime.linkSecret,
  };
  // The tick's instant, or later: a long tick must lease, stamp and schedule retries with the time it is.
  const timeNow = () => Math.max(options.now, ctx.clock());
  const scope: OutcomeScope = { store, tenantId, now: timeNow };
  const recorder = createOutcomeRecorder(scope);

  while (!stopped()) {
    const batchOptions = { ...options, now: timeNow() };
    const batch = await store.db
      .transaction()
      .execute((trx) => claimAndSettle(trx, ctx, batchOptions, composeEnv, scope, count));
    if (!batch) break;
    const heartbeat = startLeaseHeartbeat(ctx, batch.external);
    try {
      const unstarted = await runPool(
        batch.external,
        ctx.config.dispatch.maxInFlight,
        async (group) => {
          const sendOptions = { ...options, now: timeNow() };
          const { ready, facts, settled } = await recheckBeforeSend(ctx, group, sendOptions.now);
          const outcomes = ready
            ? [...settled, ...(await sendGroup(ctx, ready, facts, sendOptions, composeEnv, 0, timeNow))]
            : settled;
          count(outcomes);
          await recorder.record(outcomes);
          heartbeat.done(group);
        },
        stopped,
      );
      const untouched = unstarted.flatMap((g) => g.touches);
      if (untouched.length > 0) await releaseClaims(ctx, untouched, timeNow());
    } finally {
      heartbeat.stop();
    }
  }
  return counts;
}

/**
 * While a batch goes out to outside providers, renews the lease of what is still unsent every third
 * of a lease: 500 sends at 16 in flight against a slow provider can take longer than one lease.
 */
function startLeaseHeartbeat(ctx: EngineCtx, groups: TouchGroup[]) {
  const pending = new Set(groups.flatMap((g) => g.touches.map((t) => Number(t.id))));
  const { leaseMs } = ctx.config.dispatch;
  const timer =
    pending.size === 0
      ? null
      : setInterval(() => {
          extendLeases(ctx.store.db, [...pending], ctx.clock(), leaseMs).catch((error: unknown) =>
            ctx.logger.error(
              { err: error },
              'could not renew leases; another worker may take these sends up',
            ),
          );
        }, leaseMs / 3);
  timer?.unref();
  return {
    done(group: TouchGroup) {
      for (const t of group.touches) pending.delete(Number(t.id));
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

/**
 * The guards again, on fresh facts, just before an outside provider is called: a claimed batch can
 * take minutes to go out, and a payment that lands a second before a send must still stop it.
 */
async function recheckBeforeSend(
  ctx: EngineCtx,
  group: TouchGroup,
  now: Instant,
): Promise<{ ready: TouchGroup | null; facts: SubjectFactsMap; settled: Outcome[] }> {
  const facts = await loadSubjectFacts(ctx.store.db, ctx.tenantId, group.touches, now, ctx.config);
  const channel = ctx.runtime.channels.get(group.touches[0]?.channel ?? '');
  const settled: Outcome[] = [];
  const still: Touch[] = [];
  for (const touch of group.touches) {
    const decision = subjectHandler(touch.subjectKind).guard(touch, factsOf(facts, touch), now, {
      config: ctx.config,
      window: ctx.runtime.planEnv.window,
      addressKind: channel ? channel.addressKind : undefined,
    });
    if (decision.kind === 'send') still.push(touch);
    else {
      // The claim counted an attempt that is not made; and the claim may have passed on meanwhile.
      const outcome = decisionOutcome(touch, decision, now, -1);
      outcome.update.claimedAttempt = touch.attempts;
      settled.push(outcome);
    }
  }
  return { ready: still.length > 0 ? { ...group, touches: still } : null, facts, settled };
}

async function claimAndSettle(
  trx: Kysely<Database>,
  ctx: EngineCtx,
  options: DispatchOptions,
  composeEnv: ComposeEnv,
  scope: OutcomeScope,
  count: (outcomes: Outcome[]) => void,
): Promise<ClaimedBatch | null> {
  const { store, tenantId, config, runtime } = ctx;
  const { now } = options;
  const rows = await selectDueTouches(
    trx,
    store.dialect,
    tenantId,
    now,
    config.dispatch.batchSize,
    options.touchIds,
  );
  if (rows.length === 0) return null;
  // Each claimed touch is about to be tried once more.
  const touches = rows.map((r) => ({ ...touchFromRow(r), attempts: r.attempts + 1 }));
  const facts = await loadSubjectFacts(trx, tenantId, touches, now, config);
  const policies = new Map(config.policies.map((p) => [p.id, p]));
  // Only touches whose policy catches up with the latest step can be superseded; nothing to ask otherwise.
  const catchingUp = touches.filter(
    (t) => t.cycle !== MANUAL_CYCLE && policies.get(t.policyId)?.catchUp === 'latest',
  );
  const superseded = await supersededTouchIds(
    trx,
    tenantId,
    catchingUp.map((t) => Number(t.id)),
    now,
  );
  const settled: Outcome[] = [];
  const groups = new Map<string, TouchGroup>();
  for (const touch of touches) {
    const policy = policies.get(touch.policyId);
    const late = policy
      ? catchUpSkipReason(touch, policy.catchUp, superseded.has(Number(touch.id)), now)
      : null;
    if (late) {
      settled.push(decisionOutcome(touch, { kind: 'skip', reason: late }, now));
      continue;
    }
    const channel = runtime.channels.get(touch.channel);
    const decision = subjectHandler(touch.subjectKind).guard(touch, factsOf(facts, touch), now, {
      config,
      window: runtime.planEnv.window,
      addressKind: channel ? channel.addressKind : undefined,
    });
    if (decision.kind !== 'send') {
      settled.push(decisionOutcome(touch, decision, now));
      continue;
    }
    const base = `${touch.subjectKind}|${touch.accountId}|${touch.audience}|${touch.recipient}|${touch.channel}|${touch.dueAt}`;
    // Only invoices make statements; every other subject is a message of its own.
    const key = policy?.group && touch.subjectKind === 'invoice' ? base : `${base}|${touch.id}`;
    const group = groups.get(key);
    if (group) group.touches.push(touch);
    else groups.set(key, { key, touches: [touch], target: decision.target });
  }
  // Late fees and interest of what is about to go out, recorded once in the same commit as the claim.
  await recordTouchCharges(trx, ctx, groups.values(), facts, now);
  const local: TouchGroup[] = [];
  const external: TouchGroup[] = [];
  for (const group of groups.values()) {
    (deliversLocally(runtime.channels.get(group.touches[0]?.channel ?? '')) ? local : external).push(group);
  }
  // Outside providers: the claim (`sending`, under a lease) commits before any of them is called.
  const sending = external.flatMap((g) => g.touches);
  await markSending(
    trx,
    sending.map((t) => Number(t.id)),
    now,
    config.dispatch.leaseMs,
  );
  await appendAudit(
    trx,
    tenantId,
    sending.map((t) => transitionAudit(t, 'sending', now, { attempt: t.attempts })),
  );
  await writeOutcomes(trx, scope, settled);
  count(settled);
  // Local messages and their "sent" commit together: they can neither be lost nor delivered twice.
  // They are written a chunk at a time: a whole batch of rendered messages held to its end outlived
  // young-generation collections, each of which then copied them.
  for (let start = 0; start < local.length; start += LOCAL_CHUNK) {
    const delivered: Outcome[] = [];
    for (const group of local.slice(start, start + LOCAL_CHUNK)) {
      delivered.push(...(await sendGroup(ctx, group, facts, options, composeEnv, 1)));
    }
    await runtime.localMessages.writePending(trx, tenantId);
    await writeOutcomes(trx, scope, delivered);
    count(delivered);
  }
  return { external, facts };
}

async function sendGroup(
  ctx: EngineCtx,
  group: TouchGroup,
  facts: SubjectFactsMap,
  options: DispatchOptions,
  composeEnv: ComposeEnv,
  attemptsDelta = 0,
  /** For a send after the claim committed: the time its answer came, and the claim it must still hold. */
  finishedAt?: () => Instant,
): Promise<Outcome[]> {
  const first = group.touches[0] as Touch;
  const channel = ctx.runtime.channels.get(first.channel);
  let result: SendResult;
  try {
    if (!channel) throw new Error(`channel ${first.channel} is not configured`);
    const message = composeMessage(group, facts, options.now, composeEnv);
    result = await channel.sender.send(message, {
      now: options.now,
      // A timer per message costs more than the whole local delivery; only outside providers can hang.
      signal: deliversLocally(channel)
        ? NEVER_ABORTED
        : AbortSignal.timeout(ctx.config.dispatch.sendTimeoutMs),
    });
  } catch (error) {
    // A render or adapter bug must not lose the touch: it is retried, then ends dead with the reason.
    result = { kind: 'retry', reason: `internal error: ${(error as Error).message}` };
    ctx.logger.error({ err: error, touches: group.touches.map((t) => t.id) }, 'send failed unexpectedly');
  }
  const answered = { ...options, now: finishedAt ? finishedAt() : options.now };
  return group.touches.map((touch) => {
    const outcome = sendOutcome(touch, result, ctx.config.retry, answered, attemptsDelta);
    if (outcome.attempt) outcome.attempt.startedAt = options.now;
    if (finishedAt) outcome.update.claimedAttempt = touch.attempts;
    return outcome;
  });
}

/** Gives back claims that were never started (on shutdown), as if they had not been claimed. */
async function releaseClaims(ctx: EngineCtx, touches: Touch[], now: Instant): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await updateTouches(
      trx,
      ctx.store.dialect,
      touches.map((t) => ({
        id: Number(t.id),
        state: t.attempts > 1 ? 'retrying' : 'planned',
        reason: t.reason,
        nextAttemptAt: t.nextAttemptAt ?? now,
        providerMessageId: null,
        attemptsDelta: -1,
        claimedAttempt: t.attempts,
      })),
      now,
    );
    await appendAudit(
      trx,
      ctx.tenantId,
      touches.map((t) =>
        transitionAudit(t, 'released', now, { reason: 'shutting down before the send started' }),
      ),
    );
  });
}
