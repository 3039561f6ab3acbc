import type { Instant } from '../../domain/types.ts';
import { openPromisesDue } from '../../store/promises-repo.ts';
import type { EngineCtx } from '../runtime.ts';
import { settlePromises } from './settle-promises.ts';

const PAGE = 500;

/**
 * A tick's look at promises to pay whose day has ended: each is kept (paid enough since it was made) or
 * broken (the owner is told through `promise_broken` policies, and client reminders resume). Returns how
 * many touches were planned.
 */
export async function breakDuePromises(ctx: EngineCtx, now: Instant): Promise<number> {
  const { store, tenantId } = ctx;
  return store.db.transaction().execute(async (trx) => {
    let planned = 0;
    for (;;) {
      const due = await openPromisesDue(trx, store.dialect, tenantId, now, PAGE);
      if (due.length === 0) break;
      const settled = await settlePromises(
        trx,
        { tenantId, actor: 'system', now, env: ctx.runtime.planEnv },
        due,
        true,
      );
      planned += settled.planned;
      if (due.length < PAGE) break;
    }
    return planned;
  });
}
