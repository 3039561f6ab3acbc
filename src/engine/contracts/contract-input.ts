import { z } from 'zod';
import { CONTRACT_KINDS } from '../../domain/contract-plan.ts';
import { isCurrency, parseMoney } from '../../domain/money.ts';
import type { CalendarDate, Minor } from '../../domain/types.ts';
import { checkBoolean } from '../import/import-fields.ts';

/** What one contract upsert stores: every field but the decision, which only `decide` records. */
export interface ContractValues {
  id: string;
  accountId: string;
  name: string;
  kind: (typeof CONTRACT_KINDS)[number];
  amount: Minor | null;
  currency: string | null;
  startsOn: CalendarDate | null;
  endsOn: CalendarDate | null;
  autoRenew: boolean;
  renewsOn: CalendarDate | null;
  nextInvoiceOn: CalendarDate | null;
}

// A CSV cell is always text and an empty one means "not given": the same as a field left out of JSON.
const blank = (value: unknown) => (value === '' || value === null ? undefined : value);
const text = (max: number) => z.preprocess(blank, z.string().trim().min(1).max(max));
const date = z.preprocess(blank, z.iso.date({ error: 'write a date as YYYY-MM-DD' }).optional());
const flag = z.preprocess(
  (value) => {
    const given = blank(value);
    if (typeof given !== 'string') return given;
    const checked = checkBoolean(given.trim());
    return checked.ok ? checked.value : given;
  },
  z.boolean({ error: 'write true or false' }).default(false),
);

export const ContractFields = z
  .object({
    id: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[^\s/@]{1,100}$/, 'write an id without spaces, / or @'),
    ),
    account_id: text(200),
    name: text(300),
    kind: z.preprocess(blank, z.enum(CONTRACT_KINDS, { error: `write one of ${CONTRACT_KINDS.join(', ')}` })),
    amount: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : blank(v)),
      z.string({ error: 'write the amount in major units as text, like "1200.00"' }).optional(),
    ),
    currency: z.preprocess(
      (v) => (typeof v === 'string' ? blank(v.trim().toUpperCase()) : blank(v)),
      z.string().refine(isCurrency, 'is not an ISO 4217 currency code, like USD').optional(),
    ),
    starts_on: date,
    ends_on: date,
    auto_renew: flag,
    renews_on: date,
    next_invoice_on: date,
  })
  .strict()
  .transform((raw, ctx): ContractValues => {
    let amount: Minor | null = null;
    if (raw.amount !== undefined) {
      if (!raw.currency) {
        ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with an amount' });
      } else {
        const parsed = parseMoney(raw.amount, raw.currency);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.error });
        else if (parsed.minor < 0) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'is negative' });
        else amount = parsed.minor;
      }
    }
    if (raw.starts_on && raw.ends_on && raw.ends_on < raw.starts_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['ends_on'],
        message: `${raw.ends_on} is before starts_on ${raw.starts_on}`,
      });
    }
    // An auto-renewing contract renews when it would end, unless told otherwise.
    const renewsOn = raw.renews_on ?? (raw.auto_renew ? raw.ends_on : undefined) ?? null;
    if (raw.auto_renew && renewsOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['renews_on'],
        message: 'is required with auto_renew (or give ends_on)',
      });
    }
    return {
      id: raw.id,
      accountId: raw.account_id,
      name: raw.name,
      kind: raw.kind,
      amount,
      currency: raw.currency ?? null,
      startsOn: raw.starts_on ?? null,
      endsOn: raw.ends_on ?? null,
      autoRenew: raw.auto_renew,
      renewsOn,
      nextInvoiceOn: raw.next_invoice_on ?? null,
    };
  });

export const CONTRACT_FIELD_NAMES: readonly string[] = Object.keys(ContractFields.in.shape);
