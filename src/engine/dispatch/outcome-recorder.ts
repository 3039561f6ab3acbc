import type { Kysely } from 'kysely';
import type { AuditInput } from '../../store/audit.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Store } from '../../store/connect.ts';
import type { Database } from '../../store/database.ts';
import { insertRows } from '../../store/insert-rows.ts';

const ATTEMPT_COLUMNS = [
  'tenant_id',
  'touch_id',
  'attempt_no',
  'channel',
  'started_at',
  'finished_at',
  'outcome',
  'provider_message_id',
  'detail',
] as const;

import { type TouchUpdate, updateTouches } from '../../store/outbox-repo.ts';

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

export interface OutcomeScope {
  store: Store;
  tenantId: string;
  /** The time of a write: a long tick must not stamp late outcomes with its start. */
  now: () => number;
}

/** Writes outcomes (touch states, attempts, audit entries) within the caller's transaction. */
export async function writeOutcomes(
  db: Kysely<Database>,
  scope: OutcomeScope,
  outcomes: Outcome[],
): Promise<void> {
  const { store, tenantId } = scope;
  if (outcomes.length === 0) return;
  const changed = await updateTouches(
    db,
    store.dialect,
    outcomes.map((o) => o.update),
    scope.now(),
  );
  const attempts = outcomes.flatMap((o) => {
    const a = o.attempt;
    return a
      ? [
          [
            tenantId,
            a.touchId,
            a.attemptNo,
            a.channel,
            a.startedAt,
            a.finishedAt,
            a.outcome,
            a.providerMessageId,
            a.detail,
          ],
        ]
      : [];
  });
  await insertRows(db, 'attempts', ATTEMPT_COLUMNS, attempts, { chunk: 500 });
  await appendAudit(
    db,
    tenantId,
    outcomes.map((o) => (changed.has(o.update.id) ? o.audit : ignoredAudit(o))),
  );
}

/**
 * Records the outcomes of sends to outside providers as they arrive: everything recorded in the same
 * turn of the event loop shares one commit. A sender waits for its own outcome to be written before
 * it takes the next message, so a crash can only repeat the sends that were in flight.
 */
export function createOutcomeRecorder(scope: OutcomeScope) {
  let queue: Outcome[] = [];
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  const write = async () => {
    const batch = queue;
    const done = waiters;
    queue = [];
    waiters = [];
    scheduled = false;
    try {
      await scope.store.db.transaction().execute((trx) => writeOutcomes(trx, scope, batch));
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
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void write());
      }
      return promise;
    },
  };
}

/** The audit entry of an outcome that arrived after its claim passed to another worker: kept, as what it was. */
function ignoredAudit(outcome: Outcome): AuditInput {
  const { audit, update } = outcome;
  return {
    ...audit,
    kind: 'touch.outcome_ignored',
    data: { ...audit.data, outcome: update.state, ignored: 'the claim had passed to another worker' },
  };
}
