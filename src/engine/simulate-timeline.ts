import { z } from 'zod';
import { planInvoice } from '../domain/planner.ts';
import type { Instant, PlannedTouch } from '../domain/types.ts';
import { invoiceFromRow } from '../store/fact-rows.ts';
import { loadAccounts } from '../store/facts-repo.ts';
import { parseInput } from './parse-input.ts';
import type { EngineCtx } from './runtime.ts';
import { timelineEntry } from './timeline-entry.ts';
import { TRIGGER_SIMULATORS } from './triggers/index.ts';

export const SimulateInput = z
  .object({ from: z.number().int(), to: z.number().int() })
  .refine((v) => v.to >= v.from, { message: 'the end must not be before the start', path: ['to'] });

export interface TimelineEntry {
  at: Instant;
  scheduledAt: Instant;
  /** The policy's trigger: `invoice`, `payment_failed`, `contract_end` … */
  trigger: string;
  /** What the message is about, as staff name it: an invoice number, a contract or milestone id, a report period. */
  subject: string;
  account: string;
  policy: string;
  step: string;
  channel: string;
  audience: string;
  recipient: string;
}

const PAGE = 2000;
const MAX_PLANS_PER_INVOICE = 500;

/**
 * What would go out between two instants if nothing changed (no payment, no new invoice): the planner
 * run forward from `from`, one planning instant after another, skipping what the outbox already holds.
 * Writes and sends nothing.
 */
export async function simulateTimeline({
  ctx,
  input,
}: {
  ctx: EngineCtx;
  input: unknown;
}): Promise<TimelineEntry[]> {
  const { from, to } = parseInput(SimulateInput, input);
  const { db } = ctx.store;
  const entries: TimelineEntry[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('invoices')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('status', 'in', ['open', 'partial'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    const owners = await loadAccounts(
      db,
      ctx.tenantId,
      rows.map((r) => r.account_id),
    );
    const known = await db
      .selectFrom('touches')
      .select('dedupe_key')
      .where('tenant_id', '=', ctx.tenantId)
      .where(
        'subject_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const seen = new Set(known.map((k) => k.dedupe_key));
    for (const row of rows) {
      const owner = owners.get(row.account_id);
      if (!owner) continue;
      const facts = { invoice: invoiceFromRow(row), ...owner };
      const names = new Map(owner.contacts.map((c) => [c.id, c.name]));
      const add = (t: PlannedTouch) => {
        if (seen.has(t.dedupeKey) || t.dueAt > to) return;
        seen.add(t.dedupeKey);
        entries.push(
          timelineEntry(t, { trigger: 'invoice', subject: row.number, account: owner.account.name, names }),
        );
      };
      let at: Instant | null = from;
      for (let i = 0; at !== null && at <= to && i < MAX_PLANS_PER_INVOICE; i += 1) {
        const plan = planInvoice(ctx.config.policies, facts, at, ctx.runtime.planEnv);
        plan.touches.forEach(add);
        at = plan.nextPlanAt;
      }
    }
  }
  for (const simulate of TRIGGER_SIMULATORS) entries.push(...(await simulate(ctx, from, to)));
  return entries.sort((a, b) => a.at - b.at || a.subject.localeCompare(b.subject));
}
