import { z } from 'zod';
import { epochDayOf, isCalendarDate } from '../../domain/calendar-date.ts';
import { DulyError } from '../../domain/errors.ts';
import { formatMinorPlain, parseMoney } from '../../domain/money.ts';
import { PROMISE_STATES, promiseWaitUntil } from '../../domain/promise.ts';
import { OWED_STATUSES } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import { appendAudit } from '../../store/audit.ts';
import { insertPromise, listPromises, openPromisesOf, resolvePromises } from '../../store/promises-repo.ts';
import type { Ctx } from '../context.ts';
import { findInvoiceByNumber } from '../invoice-transitions.ts';
import { parseInput } from '../parse-input.ts';

export const RecordPromiseInput = z.object({
  invoiceNumber: z.string().trim().min(1),
  /** Major units, like "500" or "1200.50". */
  amount: z.union([z.string(), z.number()]).transform(String),
  promisedOn: z
    .string()
    .trim()
    .refine(isCalendarDate, 'write the promised date as YYYY-MM-DD, like 2026-03-20'),
  note: z.string().trim().max(500).optional(),
});

export interface PromiseView {
  id: number;
  invoiceNumber: string;
  amount: string;
  currency: string;
  promisedOn: string;
  state: string;
  recordedBy: string;
  note: string | null;
  remindersWaitUntil: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

/**
 * Records that the client promised to pay an amount by a date: client reminders about the invoice wait
 * until the end of that day in the account's zone (the team still hears), then the promise is judged.
 * A new promise replaces an open one, which is marked withdrawn.
 */
export async function recordPromise({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PromiseView> {
  const parsed = parseInput(RecordPromiseInput, input);
  const now = ctx.clock();
  const { tenantId } = ctx;
  return ctx.store.db.transaction().execute(async (trx) => {
    const invoice = await findInvoiceByNumber(trx, tenantId, parsed.invoiceNumber);
    if (!invoice) {
      throw new DulyError('not_found', `no invoice numbered "${parsed.invoiceNumber}"`, { field: 'invoice' });
    }
    const balance = Number(invoice.balance);
    if (!OWED_STATUSES.includes(invoice.status as never) || balance <= 0) {
      throw new DulyError(
        'conflict',
        `invoice ${invoice.number} is ${invoice.status}: nothing is owed to promise`,
        {
          field: 'invoice',
        },
      );
    }
    const money = parseMoney(parsed.amount, invoice.currency);
    if (!money.ok) throw new DulyError('invalid_input', money.error, { field: 'amount' });
    if (money.minor <= 0)
      throw new DulyError('invalid_input', 'the promised amount must be above 0', { field: 'amount' });
    if (money.minor > balance) {
      const owed = formatMinorPlain(balance, invoice.currency);
      throw new DulyError(
        'invalid_input',
        `the balance is ${owed} ${invoice.currency}; promise at most that`,
        {
          field: 'amount',
        },
      );
    }
    const account = await trx
      .selectFrom('accounts')
      .select('timezone')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoice.account_id)
      .executeTakeFirst();
    const zone = account?.timezone ?? ctx.config.timezone;
    if (epochDayOf(parsed.promisedOn) < zoneClock(zone).localDay(now)) {
      throw new DulyError('invalid_input', 'the promised date has passed; give today or a later date', {
        field: 'promised_on',
      });
    }
    const replaced = await openPromisesOf(trx, tenantId, [invoice.id]);
    await resolvePromises(
      trx,
      tenantId,
      replaced.map((p) => Number(p.id)),
      'withdrawn',
      now,
    );
    const waitUntil = promiseWaitUntil(parsed.promisedOn, zone);
    const note = parsed.note || null;
    const id = await insertPromise(
      trx,
      tenantId,
      {
        accountId: invoice.account_id,
        invoiceId: invoice.id,
        amount: money.minor,
        currency: invoice.currency,
        promisedOn: parsed.promisedOn,
        recordedBy: ctx.actor,
        note,
        balanceAtPromise: balance,
        waitUntil,
      },
      now,
    );
    // The planner looks again now, and again when the promise falls due.
    await trx
      .updateTable('invoices')
      .set({ next_plan_at: 0, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', invoice.id)
      .execute();
    const subject = `invoice:${invoice.number}`;
    await appendAudit(trx, tenantId, [
      ...replaced.map((p) => ({
        at: now,
        kind: 'promise.withdrawn',
        subject,
        actor: ctx.actor,
        data: { promise: Number(p.id), reason: 'replaced by a new promise' },
      })),
      {
        at: now,
        kind: 'promise.recorded',
        subject,
        actor: ctx.actor,
        data: {
          promise: id,
          amount: money.minor,
          currency: invoice.currency,
          promised_on: parsed.promisedOn,
          wait_until: waitUntil,
          replaces: replaced.map((p) => Number(p.id)),
        },
      },
    ]);
    return {
      id,
      invoiceNumber: invoice.number,
      amount: formatMinorPlain(money.minor, invoice.currency),
      currency: invoice.currency,
      promisedOn: parsed.promisedOn,
      state: 'open',
      recordedBy: ctx.actor,
      note,
      remindersWaitUntil: new Date(waitUntil).toISOString(),
      createdAt: new Date(now).toISOString(),
      resolvedAt: null,
    };
  });
}

export const ListPromisesInput = z.object({
  state: z.enum(PROMISE_STATES).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

/** Promises to pay, newest first. */
export async function listPromisesMade({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PromiseView[]> {
  const filter = parseInput(ListPromisesInput, input);
  const rows = await listPromises(ctx.store.db, ctx.tenantId, {
    limit: filter.limit,
    ...(filter.state ? { state: filter.state } : {}),
  });
  return rows.map((row) => ({
    id: Number(row.id),
    invoiceNumber: row.invoice_number,
    amount: formatMinorPlain(Number(row.amount), row.currency),
    currency: row.currency,
    promisedOn: row.promised_on,
    state: row.state,
    recordedBy: row.recorded_by,
    note: row.note,
    remindersWaitUntil: row.wait_until === null ? null : new Date(Number(row.wait_until)).toISOString(),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    resolvedAt: row.resolved_at === null ? null : new Date(Number(row.resolved_at)).toISOString(),
  }));
}
