import type { AuditInput } from '../../store/audit.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Store } from '../../store/connect.ts';
import { type TouchUpdate, updateTouches } from '../../store/outbox-repo.ts';
import type { LocalMessageBuffer } from '../local-message-sink.ts';

/** Outcomes waiting beyond this are written at once instead of at the end of the event-loop turn. */
const FLUSH_AT = 500;

export interface AttemptRecord {
  touchId: number;
  attemptNo: number;
  channel: string;
  startedAt: number;
  finishedAt: number;
  outcome: 'sent' | 'retry' | 'failed';
  providerMessageId: string | null;
  detail: string | null;
}

export interface Outcome {
  update: TouchUpdate;
  attempt: AttemptRecord | null;
  audit: AuditInput;
}

/**
 * Writes outcomes in transactions as they arrive: everything recorded in the same turn of the event
 * loop (or 500 at most) shares one commit, together with the in-app and sandbox messages they
 * delivered. A sender to an outside provider waits for its own outcome to be written before it
 * takes the next message, so a crash can only repeat the sends that were in flight.
 */
export function createOutcomeRecorder(
  store: Store,
  tenantId: string,
  now: number,
  localMessages: LocalMessageBuffer,
) {
  let queue: Outcome[] = [];
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let scheduled: Promise<void> | null = null;

  const write = async () => {
    const batch = queue;
    const done = waiters;
    queue = [];
    waiters = [];
    scheduled = null;
    if (batch.length === 0) {
      for (const w of done) w.resolve();
      return;
    }
    try {
      await store.db.transaction().execute(async (trx) => {
        await localMessages.writePending(trx, tenantId);
        await updateTouches(
          trx,
          store.dialect,
          batch.map((o) => o.update),
          now,
        );
        const attempts = batch.flatMap((o) => (o.attempt ? [o.attempt] : []));
        for (let i = 0; i < attempts.length; i += 500) {
          await trx
            .insertInto('attempts')
            .values(
              attempts.slice(i, i + 500).map((a) => ({
                tenant_id: tenantId,
                touch_id: a.touchId,
                attempt_no: a.attemptNo,
                channel: a.channel,
                started_at: a.startedAt,
                finished_at: a.finishedAt,
                outcome: a.outcome,
                provider_message_id: a.providerMessageId,
                detail: a.detail,
              })),
            )
            .execute();
        }
        await appendAudit(
          trx,
          tenantId,
          batch.map((o) => o.audit),
        );
      });
      for (const w of done) w.resolve();
    } catch (error) {
      for (const w of done) w.reject(error);
    }
  };

  return {
    /** Queues outcomes; the promise settles when they are committed. */
    record(outcomes: Outcome[]): Promise<void> {
      queue.push(...outcomes);
      const promise = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      if (queue.length >= FLUSH_AT) void write();
      else if (!scheduled) scheduled = new Promise<void>((r) => setImmediate(r)).then(write);
      return promise;
    },
  };
}
