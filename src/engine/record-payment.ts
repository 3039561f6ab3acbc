import { z } from 'zod';
import { DulyError } from '../domain/errors.ts';
import { formatMinorPlain, parseMoney } from '../domain/money.ts';
import type { InvoiceStatus } from '../domain/types.ts';
import type { Ctx } from './context.ts';
import { applyPayment, findInvoiceByNumber } from './invoice-transitions.ts';
import { parseInput } from './parse-input.ts';

export const RecordPaymentInput = z.object({
  invoiceNumber: z.string().trim().min(1),
  /** Major units as text ("120.50"); the whole balance when absent. */
  amount: z.string().trim().min(1).optional(),
  /** When the money arrived; now when absent. */
  paidAt: z.number().int().optional(),
  source: z.string().trim().min(1).default('manual'),
  externalId: z.string().trim().min(1).optional(),
});

export interface PaymentRecorded {
  invoiceNumber: string;
  paid: string;
  balance: string;
  currency: string;
  status: InvoiceStatus;
  cancelledTouches: number;
}

/** Records a payment: lowers the balance, marks the invoice paid or partial, and stops reminders when paid. */
export async function recordPayment({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PaymentRecorded> {
  const { invoiceNumber, amount, paidAt, source, externalId } = parseInput(RecordPaymentInput, input);
  const now = ctx.clock();
  return ctx.store.db.transaction().execute(async (trx) => {
    const invoice = await findInvoiceByNumber(trx, ctx.tenantId, invoiceNumber);
    if (!invoice)
      throw new DulyError('not_found', `no invoice numbered "${invoiceNumber}"`, { field: 'invoice' });
    if (!['open', 'partial'].includes(invoice.status)) {
      throw new DulyError(
        'conflict',
        `invoice ${invoiceNumber} is ${invoice.status}; nothing is owed on it`,
        {
          field: 'invoice',
        },
      );
    }
    const balance = Number(invoice.balance);
    let minor = balance;
    if (amount !== undefined) {
      const parsed = parseMoney(amount, invoice.currency);
      if (!parsed.ok) throw new DulyError('invalid_input', parsed.error, { field: 'amount' });
      minor = parsed.minor;
    }
    if (minor <= 0)
      throw new DulyError('invalid_input', 'the amount must be more than zero', { field: 'amount' });
    if (minor > balance) {
      const owed = formatMinorPlain(balance, invoice.currency);
      throw new DulyError(
        'invalid_input',
        `the amount is more than the balance of ${owed} ${invoice.currency}`,
        {
          field: 'amount',
        },
      );
    }
    const applied = await applyPayment(
      trx,
      { tenantId: ctx.tenantId, actor: ctx.actor, now, config: ctx.config },
      invoice,
      {
        amount: minor,
        paidAt: paidAt ?? now,
        source,
        externalId: externalId ?? null,
      },
    );
    return {
      invoiceNumber: invoice.number,
      paid: formatMinorPlain(minor, invoice.currency),
      balance: formatMinorPlain(applied.balance, invoice.currency),
      currency: invoice.currency,
      status: applied.status,
      cancelledTouches: applied.cancelled,
    };
  });
}
