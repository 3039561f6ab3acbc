import type { Kysely, Selectable } from 'kysely';
import type { FailedPayment, PaymentFacts } from '../../domain/payment-failure.ts';
import type { Database, PaymentsTable } from '../../store/database.ts';
import { chunks, loadInvoiceFacts } from '../../store/facts-repo.ts';
import type { TaskRow } from '../../store/tasks-repo.ts';

/** A failed payment's facts, with the follow-up task the team was given (for the team's messages). */
export type PaymentSubjectFacts = PaymentFacts & { task: TaskRow | null };

export const paymentTaskKey = (paymentId: string) => `payment-failed/${paymentId}`;

export function failedPaymentFromRow(row: Selectable<PaymentsTable>): FailedPayment {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    amount: Number(row.amount),
    currency: row.currency,
    failedAt: Number(row.paid_at),
    reason: row.failure_reason,
    recoveredAt: row.recovered_at === null ? null : Number(row.recovered_at),
  };
}

/** Failed payments with their invoice, account, contacts and task; those whose invoice is gone are left out. */
export async function loadPaymentFacts(
  db: Kysely<Database>,
  tenantId: string,
  paymentIds: string[],
): Promise<Map<string, PaymentSubjectFacts>> {
  const result = new Map<string, PaymentSubjectFacts>();
  for (const ids of chunks([...new Set(paymentIds)], 900)) {
    const rows = await db
      .selectFrom('payments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .where('status', '=', 'failed')
      .execute();
    if (rows.length === 0) continue;
    const invoices = await loadInvoiceFacts(
      db,
      tenantId,
      rows.map((r) => r.invoice_id),
    );
    const tasks = await db
      .selectFrom('tasks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'dedupe_key',
        'in',
        rows.map((r) => paymentTaskKey(r.id)),
      )
      .execute();
    const taskByKey = new Map(tasks.map((t) => [t.dedupe_key, t]));
    for (const row of rows) {
      const invoice = invoices.get(row.invoice_id);
      if (!invoice) continue;
      const task = taskByKey.get(paymentTaskKey(row.id)) ?? null;
      result.set(row.id, { ...invoice, payment: failedPaymentFromRow(row), task });
    }
  }
  return result;
}
