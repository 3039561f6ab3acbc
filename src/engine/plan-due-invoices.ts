import { planInvoice } from '../domain/planner.ts';
import type { Account, Contact, Instant, PlannedTouch } from '../domain/types.ts';
import { appendAudit } from '../store/audit.ts';
import { invoiceFromRow } from '../store/fact-rows.ts';
import { loadAccounts } from '../store/facts-repo.ts';
import { insertPlannedTouches, setNextPlanAt } from '../store/touches-repo.ts';
import type { EngineCtx } from './runtime.ts';

const PAGE = 5000;

/**
 * Plans every invoice whose next planning instant has come, page by page: new touches go into the
 * outbox (a dedupe key already there is a no-op) and each invoice gets its next planning instant.
 */
export async function planDueInvoices(
  ctx: EngineCtx,
  now: Instant,
): Promise<{ planned: number; invoices: number }> {
  const { store, tenantId } = ctx;
  const policies = ctx.config.policies;
  let planned = 0;
  let invoices = 0;
  // Accounts seen on an earlier page are not read again: a page of invoices spans thousands of accounts.
  const owners = new Map<string, { account: Account; contacts: Contact[] } | null>();
  for (;;) {
    const rows = await store.db
      .selectFrom('invoices')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('next_plan_at', '<=', now)
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    invoices += rows.length;
    const missing = [...new Set(rows.map((r) => r.account_id))].filter((id) => !owners.has(id));
    const loaded = await loadAccounts(store.db, tenantId, missing);
    for (const id of missing) owners.set(id, loaded.get(id) ?? null);
    const touches: PlannedTouch[] = [];
    const next: { id: string; nextPlanAt: number | null }[] = [];
    for (const row of rows) {
      const owner = owners.get(row.account_id);
      if (!owner) {
        next.push({ id: row.id, nextPlanAt: null });
        continue;
      }
      const plan = planInvoice(
        policies,
        { invoice: invoiceFromRow(row), ...owner },
        now,
        ctx.runtime.planEnv,
      );
      touches.push(...plan.touches);
      // Never leave an invoice due again at this same instant: the loop would not end.
      next.push({
        id: row.id,
        nextPlanAt: plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, now + 1),
      });
    }
    await store.db.transaction().execute(async (trx) => {
      const inserted = await insertPlannedTouches(trx, tenantId, touches, now);
      await setNextPlanAt(trx, store.dialect, tenantId, next);
      await appendAudit(
        trx,
        tenantId,
        inserted.map((t) => ({
          at: now,
          kind: 'touch.planned',
          subject: `touch:${t.id}`,
          actor: 'planner',
          data: { dedupe_key: t.dedupe_key, due_at: t.due_at },
        })),
      );
      planned += inserted.length;
    });
  }
  return { planned, invoices };
}
