import type { Kysely } from 'kysely';
import type { PlanEnv } from '../../domain/planner.ts';
import { type PromiseState, promiseStateAt, promiseWaitUntil } from '../../domain/promise.ts';
import { type Instant, OWED_STATUSES } from '../../domain/types.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import { loadInvoiceFacts } from '../../store/facts-repo.ts';
import { type PromiseRow, resolvePromises } from '../../store/promises-repo.ts';
import { planInvoiceNotices } from './plan-invoice-notices.ts';

export interface SettleScope {
  tenantId: string;
  actor: string;
  now: Instant;
  env: PlanEnv;
}

export interface Settled {
  kept: number;
  broken: number;
  withdrawn: number;
  /** Team notices planned for broken promises. */
  planned: number;
}

/**
 * Judges open promises on their invoice's facts at `now` and records each outcome (audited): kept once
 * paid, withdrawn when the invoice was voided or written off, and (only when `mayBreak`) broken once the
 * promised day has ended unpaid, which plans the `promise_broken` notices. An invoice whose promise is over
 * is planned again at once, so its schedule resumes with the latest step due.
 */
export async function settlePromises(
  db: Kysely<Database>,
  scope: SettleScope,
  promises: PromiseRow[],
  mayBreak: boolean,
): Promise<Settled> {
  const { tenantId, now, env } = scope;
  const settled: Settled = { kept: 0, broken: 0, withdrawn: 0, planned: 0 };
  if (promises.length === 0) return settled;
  const facts = await loadInvoiceFacts(
    db,
    tenantId,
    promises.map((p) => p.invoice_id),
  );
  const byState = new Map<Exclude<PromiseState, 'open'>, PromiseRow[]>();
  const resume = new Set<string>();
  const audit = [];
  for (const promise of promises) {
    const invoiceFacts = facts.get(promise.invoice_id);
    const terms = {
      amount: Number(promise.amount),
      balanceAtPromise: Number(promise.balance_at_promise ?? promise.amount),
      waitUntil: Number(promise.wait_until ?? promiseWaitUntil(promise.promised_on, env.config.timezone)),
    };
    const state = invoiceFacts ? promiseStateAt(terms, invoiceFacts.invoice, now) : 'withdrawn';
    if (state === 'open' || (state === 'broken' && !mayBreak)) continue;
    byState.set(state, [...(byState.get(state) ?? []), promise]);
    settled[state] += 1;
    const invoice = invoiceFacts?.invoice;
    if (invoice && OWED_STATUSES.includes(invoice.status) && invoice.balance > 0) resume.add(invoice.id);
    audit.push({
      at: now,
      kind: `promise.${state}`,
      subject: invoice ? `invoice:${invoice.number}` : `invoice-id:${promise.invoice_id}`,
      actor: scope.actor,
      data: {
        promise: Number(promise.id),
        amount: terms.amount,
        currency: promise.currency,
        promised_on: promise.promised_on,
        paid_since: invoice ? Math.max(0, terms.balanceAtPromise - invoice.balance) : null,
      },
    });
    if (state === 'broken' && invoiceFacts) {
      settled.planned += await planInvoiceNotices(
        db,
        tenantId,
        env,
        { trigger: 'promise_broken', facts: invoiceFacts, at: now, occasion: `promise-${promise.id}` },
        now,
      );
    }
  }
  for (const [state, rows] of byState) {
    await resolvePromises(
      db,
      tenantId,
      rows.map((p) => Number(p.id)),
      state,
      now,
    );
  }
  if (resume.size > 0) {
    await db
      .updateTable('invoices')
      .set({ next_plan_at: 0 })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...resume])
      .execute();
  }
  await appendAudit(db, tenantId, audit);
  return settled;
}
