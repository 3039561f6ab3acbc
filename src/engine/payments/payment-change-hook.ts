import type { Kysely } from 'kysely';
import type { Instant } from '../../domain/types.ts';
import { type AuditInput, appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import { closeTasks, type TaskRow } from '../../store/tasks-repo.ts';
import { cancelPendingTouches } from '../cancel-touches.ts';
import type { ChangeCtx, InvoiceChange, InvoiceChangeHook } from '../invoice-hooks.ts';
import { paymentTaskKey } from './payment-facts.ts';

const CLOSED = new Set(['paid', 'void', 'written_off']);

/**
 * A payment that lands on an invoice with a failed payment recovers it: the client's notice is
 * cancelled, the follow-up task closed, and the failure gets its recovery instant (the anchor of the
 * team's "recovered" message, planned by the caller). An invoice paid, voided or written off closes
 * what is left of its failed payments. Runs in the transaction that changed the invoice.
 */
export const paymentChangeHook: InvoiceChangeHook = async (db, ctx, change) => {
  if (change.kind === 'payment') await recoverFailedPayments(db, ctx, change.invoiceIds);
  if (change.kind === 'payment' || change.kind === 'closed') await closeWithInvoices(db, ctx, change);
};

async function recoverFailedPayments(db: Kysely<Database>, ctx: ChangeCtx, invoiceIds: string[]) {
  const failed = await db
    .selectFrom('payments')
    .select(['id', 'invoice_id'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('invoice_id', 'in', invoiceIds)
    .where('status', '=', 'failed')
    .where('recovered_at', 'is', null)
    .execute();
  if (failed.length === 0) return;
  const ids = failed.map((p) => p.id);
  await db
    .updateTable('payments')
    .set({ recovered_at: ctx.now })
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', 'in', ids)
    .execute();
  const reason = 'payment recovered';
  await cancelPendingTouches(db, ctx.tenantId, ids, reason, ctx.now, ctx.actor, 'payment');
  const closed = await closeTasks(db, ctx.tenantId, { dedupeKeys: ids.map(paymentTaskKey) }, reason, ctx.now);
  await appendAudit(db, ctx.tenantId, [
    ...failed.map(
      (p): AuditInput => ({
        at: ctx.now,
        kind: 'payment.recovered',
        subject: `payment:${p.id}`,
        actor: ctx.actor,
        data: { invoice: p.invoice_id },
      }),
    ),
    ...closedAudit(closed, reason, ctx.now, ctx.actor),
  ]);
}

async function closeWithInvoices(db: Kysely<Database>, ctx: ChangeCtx, change: InvoiceChange) {
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'status'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', 'in', change.invoiceIds)
    .execute();
  for (const invoice of invoices.filter((i) => CLOSED.has(i.status))) {
    const reason = `invoice ${invoice.status.replace('_', ' ')}`;
    const payments = await db
      .selectFrom('payments')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('invoice_id', '=', invoice.id)
      .where('status', '=', 'failed')
      .execute();
    const ids = payments.map((p) => p.id);
    if (ids.length > 0)
      await cancelPendingTouches(db, ctx.tenantId, ids, reason, ctx.now, ctx.actor, 'payment');
    const closed = await closeTasks(
      db,
      ctx.tenantId,
      { invoiceIds: [invoice.id], kind: 'payment_failed' },
      reason,
      ctx.now,
    );
    await appendAudit(db, ctx.tenantId, closedAudit(closed, reason, ctx.now, ctx.actor));
  }
}

function closedAudit(tasks: TaskRow[], reason: string, now: Instant, actor: string): AuditInput[] {
  return tasks.map((t) => ({
    at: now,
    kind: 'task.closed',
    subject: `task:${t.id}`,
    actor,
    data: { reason, kind: t.kind },
  }));
}
