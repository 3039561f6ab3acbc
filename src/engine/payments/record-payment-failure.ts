import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { paymentFailurePolicies, taskDueOn, taskOwner } from '../../domain/payment-failure.ts';
import type { Instant, Minor } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { type AuditInput, appendAudit } from '../../store/audit.ts';
import type { Database } from '../../store/database.ts';
import { openTask } from '../../store/tasks-repo.ts';
import type { InvoiceRow } from '../invoice-transitions.ts';
import type { EngineCtx } from '../runtime.ts';
import { loadPaymentFacts, paymentTaskKey } from './payment-facts.ts';
import { planPaymentTouches } from './plan-payment-touches.ts';

export interface PaymentFailure {
  amount: Minor;
  failedAt: Instant;
  reason: string | null;
  /** The billing system's id of the failed charge: the same charge reported twice is one failure. */
  externalId: string;
  source: string;
}

/**
 * Records a failed payment inside the caller's transaction: the payment row, the team's follow-up
 * task, and the touches of every `payment_failed` policy. Returns the ids of the touches already
 * due, for the caller to send as soon as it commits.
 */
export async function recordPaymentFailure(
  db: Kysely<Database>,
  ctx: EngineCtx,
  invoice: InvoiceRow,
  failure: PaymentFailure,
  now: Instant,
): Promise<{ effect: string; touchIds: number[] }> {
  const known = await db
    .selectFrom('payments')
    .select('id')
    .where('tenant_id', '=', ctx.tenantId)
    .where('invoice_id', '=', invoice.id)
    .where('status', '=', 'failed')
    .where('external_id', '=', failure.externalId)
    .executeTakeFirst();
  if (known) return { effect: 'this failed payment is already recorded; nothing changed', touchIds: [] };

  const id = randomUUID();
  await db
    .insertInto('payments')
    .values({
      tenant_id: ctx.tenantId,
      id,
      invoice_id: invoice.id,
      amount: failure.amount,
      currency: invoice.currency,
      status: 'failed',
      paid_at: failure.failedAt,
      source: failure.source,
      external_id: failure.externalId,
      failure_reason: failure.reason,
      recovered_at: null,
      created_at: now,
    })
    .execute();
  const facts = (await loadPaymentFacts(db, ctx.tenantId, [id])).get(id);
  const audit: AuditInput[] = [
    {
      at: now,
      kind: 'payment.failed',
      subject: `invoice:${invoice.number}`,
      actor: ctx.actor,
      data: {
        payment: id,
        amount: failure.amount,
        currency: invoice.currency,
        reason: failure.reason,
        source: failure.source,
        failed_at: failure.failedAt,
      },
    },
  ];
  if (!facts) {
    await appendAudit(db, ctx.tenantId, audit);
    return { effect: 'failed payment recorded; the account no longer exists', touchIds: [] };
  }
  const today = zoneClock(ctx.config.timezone).localDay(now);
  const rule = paymentFailurePolicies(ctx.config.policies, facts, today).find((p) => p.task)?.task ?? null;
  let taskNote = 'no task';
  if (rule) {
    const owner = taskOwner(ctx.config, facts.account.owner);
    const { row } = await openTask(
      db,
      ctx.tenantId,
      {
        dedupeKey: paymentTaskKey(id),
        kind: 'payment_failed',
        title: `Follow up the failed payment on invoice ${invoice.number} (${facts.account.name})`,
        owner,
        dueOn: taskDueOn(ctx.config, now, rule.dueInDays),
        accountId: facts.account.id,
        invoiceId: invoice.id,
      },
      now,
    );
    taskNote = `task ${row.id} opened${owner ? ` for ${owner}` : ''}`;
    audit.push({
      at: now,
      kind: 'task.opened',
      subject: `task:${row.id}`,
      actor: ctx.actor,
      data: { kind: row.kind, owner, due_on: row.due_on, invoice: invoice.number },
    });
  }
  const { planned, dueIds } = await planPaymentTouches(db, ctx, [facts], now);
  await appendAudit(db, ctx.tenantId, audit);
  return {
    effect: `failed payment recorded; ${taskNote}; ${planned} message(s) planned`,
    touchIds: dueIds,
  };
}
