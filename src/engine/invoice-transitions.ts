import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Instant, InvoiceStatus, Minor } from '../domain/types.ts';
import { appendAudit } from '../store/audit.ts';
import type { Database, InvoicesTable } from '../store/database.ts';
import { cancelPendingTouches } from './cancel-touches.ts';
import { afterInvoicesChanged, type ChangeCtx } from './invoice-hooks.ts';

/** Changes to an invoice that stop or resume reminders; each runs inside the caller's transaction. */

export type InvoiceRow = Selectable<InvoicesTable>;

type Who = ChangeCtx;

export async function findInvoiceByNumber(db: Kysely<Database>, tenantId: string, number: string) {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** Lowers the balance; paid in full cancels every pending reminder at once. */
export async function applyPayment(
  db: Kysely<Database>,
  who: Who,
  invoice: InvoiceRow,
  payment: { amount: Minor; paidAt: Instant; source: string; externalId: string | null },
): Promise<{ balance: Minor; status: InvoiceStatus; cancelled: number }> {
  const balance = Math.max(0, Number(invoice.balance) - payment.amount);
  const status: InvoiceStatus = balance === 0 ? 'paid' : 'partial';
  await db
    .insertInto('payments')
    .values({
      tenant_id: who.tenantId,
      id: randomUUID(),
      invoice_id: invoice.id,
      amount: payment.amount,
      currency: invoice.currency,
      status: 'succeeded',
      paid_at: payment.paidAt,
      source: payment.source,
      external_id: payment.externalId,
      created_at: who.now,
    })
    .execute();
  await db
    .updateTable('invoices')
    .set({ balance, status, next_plan_at: status === 'paid' ? null : 0, updated_at: who.now })
    .where('tenant_id', '=', who.tenantId)
    .where('id', '=', invoice.id)
    .execute();
  await appendAudit(db, who.tenantId, [
    {
      at: who.now,
      kind: 'payment.recorded',
      subject: `invoice:${invoice.number}`,
      actor: who.actor,
      data: {
        amount: payment.amount,
        currency: invoice.currency,
        balance,
        status,
        source: payment.source,
        paid_at: payment.paidAt,
      },
    },
  ]);
  const cancelled =
    status === 'paid'
      ? await cancelPendingTouches(db, who.tenantId, [invoice.id], 'invoice paid', who.now, who.actor)
      : 0;
  await afterInvoicesChanged(db, who, {
    kind: 'payment',
    invoiceIds: [invoice.id],
    accountIds: [invoice.account_id],
  });
  return { balance, status, cancelled };
}

/** Closes an invoice (`paid` outside Duly, `void`, `written_off`): the balance is gone and reminders stop. */
export async function closeInvoice(
  db: Kysely<Database>,
  who: Who,
  invoice: InvoiceRow,
  status: 'paid' | 'void' | 'written_off',
): Promise<number> {
  await db
    .updateTable('invoices')
    .set({
      status,
      balance: status === 'paid' ? 0 : invoice.balance,
      next_plan_at: null,
      updated_at: who.now,
    })
    .where('tenant_id', '=', who.tenantId)
    .where('id', '=', invoice.id)
    .execute();
  await appendAudit(db, who.tenantId, [
    {
      at: who.now,
      kind: 'invoice.status_changed',
      subject: `invoice:${invoice.number}`,
      actor: who.actor,
      data: { from: invoice.status, to: status },
    },
  ]);
  const reason = `invoice ${status.replace('_', ' ')}`;
  const cancelled = await cancelPendingTouches(db, who.tenantId, [invoice.id], reason, who.now, who.actor);
  await afterInvoicesChanged(db, who, {
    kind: 'closed',
    invoiceIds: [invoice.id],
    accountIds: [invoice.account_id],
  });
  return cancelled;
}

/** Opens or closes a dispute: while disputed no reminder goes out; when resolved the schedule resumes. */
export async function setDisputed(
  db: Kysely<Database>,
  who: Who,
  invoice: InvoiceRow,
  disputed: boolean,
): Promise<number> {
  await db
    .updateTable('invoices')
    .set({ disputed: disputed ? 1 : 0, next_plan_at: disputed ? null : 0, updated_at: who.now })
    .where('tenant_id', '=', who.tenantId)
    .where('id', '=', invoice.id)
    .execute();
  await appendAudit(db, who.tenantId, [
    {
      at: who.now,
      kind: disputed ? 'invoice.disputed' : 'invoice.dispute_resolved',
      subject: `invoice:${invoice.number}`,
      actor: who.actor,
      data: {},
    },
  ]);
  const cancelled = disputed
    ? await cancelPendingTouches(db, who.tenantId, [invoice.id], 'invoice disputed', who.now, who.actor)
    : 0;
  await afterInvoicesChanged(db, who, {
    kind: disputed ? 'disputed' : 'dispute_resolved',
    invoiceIds: [invoice.id],
    accountIds: [invoice.account_id],
  });
  return cancelled;
}
