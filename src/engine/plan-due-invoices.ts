import type { Kysely } from 'kysely';
import { planInvoice } from '../domain/planner.ts';
import type { Account, Contact, Instant, PlannedTouch } from '../domain/types.ts';
import type { Database } from '../store/database.ts';
import { invoiceFromRow } from '../store/fact-rows.ts';
import { loadAccounts } from '../store/facts-repo.ts';
import { takePlanningLock } from '../store/planning-lock.ts';
import { promisedUntilByInvoice } from '../store/promises-repo.ts';
import { insertPlannedTouches, setNextPlanAt } from '../store/touches-repo.ts';
import type { EngineCtx } from './runtime.ts';

const PAGE = 5000;
/** Touches held before they are written; a larger tick writes them in several sorted runs. */
const HOLD = 50_000;

type Owner = { account: Account; contacts: Contact[] } | null;

/** The order the dispatcher claims in: touches claimed together then sit on neighbouring pages. */
function claimOrder(a: PlannedTouch, b: PlannedTouch): number {
  return a.dueAt - b.dueAt || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
}

/**
 * Plans every invoice whose next planning instant has come, in one transaction: new touches go into
 * the outbox (a dedupe key already there is a no-op) and each invoice gets its next planning instant,
 * so a crash can never advance an invoice without its touches.
 */
export async function planDueInvoices(
  ctx: EngineCtx,
  now: Instant,
): Promise<{ planned: number; invoices: number }> {
  const { store, tenantId } = ctx;
  return store.db.transaction().execute(async (trx) => {
    // Workers sharing PostgreSQL plan one at a time; the others go straight to sending.
    if (!(await takePlanningLock(trx, store.dialect, 'duly-plan', tenantId)))
      return { planned: 0, invoices: 0 };
    let planned = 0;
    let invoices = 0;
    let held: PlannedTouch[] = [];
    const write = async () => {
      planned += await insertPlannedTouches(trx, tenantId, held.sort(claimOrder), now);
      held = [];
    };
    // Accounts seen on an earlier page are not read again: a page of invoices spans thousands of accounts.
    const owners = new Map<string, Owner>();
    for (;;) {
      const page = await planPage(trx, ctx, now, owners);
      if (!page) break;
      invoices += page.invoices;
      held.push(...page.touches);
      if (held.length >= HOLD) await write();
    }
    await write();
    return { planned, invoices };
  });
}

async function planPage(
  trx: Kysely<Database>,
  ctx: EngineCtx,
  now: Instant,
  owners: Map<string, Owner>,
): Promise<{ invoices: number; touches: PlannedTouch[] } | null> {
  const { store, tenantId } = ctx;
  const rows = await trx
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('next_plan_at', '<=', now)
    .limit(PAGE)
    .execute();
  if (rows.length === 0) return null;
  const missing = [...new Set(rows.map((r) => r.account_id))].filter((id) => !owners.has(id));
  const loaded = await loadAccounts(trx, tenantId, missing);
  for (const id of missing) owners.set(id, loaded.get(id) ?? null);
  const promised = await promisedUntilByInvoice(
    trx,
    tenantId,
    rows.map((r) => r.id),
  );
  const touches: PlannedTouch[] = [];
  const next: { id: string; nextPlanAt: number | null }[] = [];
  for (const row of rows) {
    const owner = owners.get(row.account_id);
    if (!owner) {
      next.push({ id: row.id, nextPlanAt: null });
      continue;
    }
    const plan = planInvoice(
      ctx.config.policies,
      { invoice: invoiceFromRow(row), ...owner },
      now,
      ctx.runtime.planEnv,
      promised.get(row.id) ?? null,
    );
    touches.push(...plan.touches);
    // Never leave an invoice due again at this same instant: the loop would not end.
    next.push({
      id: row.id,
      nextPlanAt: plan.nextPlanAt === null ? null : Math.max(plan.nextPlanAt, now + 1),
    });
  }
  await setNextPlanAt(trx, store.dialect, tenantId, next);
  return { invoices: rows.length, touches };
}
