import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, dialectAvailable, openTestStore } from '../../test/support/test-store.ts';
import type { Store } from './connect.ts';
import { updateTouches } from './outbox-repo.ts';

async function insertTouch(store: Store, state: string, attempts: number): Promise<number> {
  const row = await store.db
    .insertInto('touches')
    .values({
      tenant_id: 'default',
      dedupe_key: `k-${state}-${attempts}-${Math.random()}`,
      policy_id: 'p',
      step_id: 's',
      step_index: 0,
      cycle: 0,
      subject_id: 'i',
      account_id: 'a',
      audience: 'client',
      recipient: 'c',
      channel: 'email',
      template: 't',
      scheduled_at: 0,
      due_at: 0,
      state,
      attempts,
      next_attempt_at: null,
      lease_until: state === 'sending' ? 1000 : null,
      reason: null,
      provider_message_id: null,
      created_at: 0,
      updated_at: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

const outcome = (id: number, state: string, claimedAttempt?: number) => ({
  id,
  state,
  reason: null,
  nextAttemptAt: null,
  providerMessageId: state === 'sent' ? 'msg-1' : null,
  ...(claimedAttempt === undefined ? {} : { claimedAttempt }),
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`updateTouches on ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(() => store.close());

    it("should apply a send's outcome only while the claim is still this worker's, except a sent", async () => {
      // Worker A claimed attempt 1; its lease lapsed and worker B now holds attempt 2.
      const taken = await insertTouch(store, 'sending', 2);
      const ours = await insertTouch(store, 'sending', 2);
      const alreadySent = await insertTouch(store, 'sent', 2);
      const lateSent = await insertTouch(store, 'retrying', 2);
      const changed = await updateTouches(
        store.db,
        store.dialect,
        [
          outcome(taken, 'retrying', 1), // A's late failure: B decides
          outcome(ours, 'retrying', 2), // B's own outcome
          outcome(alreadySent, 'retrying', 2), // nothing overwrites a sent
          outcome(lateSent, 'sent', 1), // A's late success: it happened
        ],
        5000,
      );
      expect([...changed].sort((a, b) => a - b)).toEqual([ours, lateSent].sort((a, b) => a - b));
      const states = await store.db.selectFrom('touches').select(['id', 'state']).orderBy('id').execute();
      expect(states.map((r) => r.state)).toEqual(['sending', 'retrying', 'sent', 'sent']);
    });

    it('should apply an outcome without a claim as it is', async () => {
      const id = await insertTouch(store, 'planned', 0);
      expect(await updateTouches(store.db, store.dialect, [outcome(id, 'skipped')], 5000)).toEqual(
        new Set([id]),
      );
    });
  });
}
