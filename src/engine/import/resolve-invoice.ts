import { type InvoiceStatus, OWED_STATUSES } from '../../domain/types.ts';
import type { InvoicesTable } from '../../store/database.ts';
import type { ImportInvoice } from './import-row.ts';

/** The stored columns an import compares and writes. */
export type InvoiceValues = Omit<
  InvoicesTable,
  'tenant_id' | 'paused_until' | 'created_at' | 'updated_at' | 'opted_out'
>;

export interface InvoiceOutcome {
  kind: 'created' | 'updated' | 'unchanged';
  values: InvoiceValues;
  statusChange: { from: string; to: InvoiceStatus } | null;
  /** Why the invoice's pending touches must be cancelled, when they must. */
  cancelReason: string | null;
}

const SETTLED: readonly string[] = ['paid', 'void', 'written_off'];
const CANCEL_REASONS: Partial<Record<string, string>> = {
  paid: 'invoice paid',
  void: 'invoice void',
  written_off: 'invoice written off',
};
// A change to any of these can move or remove a reminder; source and external id cannot.
const PLANNED_FROM = [
  'account_id',
  'amount',
  'balance',
  'currency',
  'issued_on',
  'due_on',
  'status',
  'disputed',
] as const;

/**
 * What importing `row` does to the invoice with its number (`stored`, if any). Empty cells keep stored
 * values; an empty balance follows the amount unless part of the invoice has been paid.
 */
export function resolveInvoice(
  row: ImportInvoice,
  stored: InvoiceValues | undefined,
  newId: () => string,
): InvoiceOutcome {
  const status = row.status ?? (stored?.status as InvoiceStatus | undefined) ?? 'open';
  const values: InvoiceValues = {
    id: stored?.id ?? newId(),
    number: row.number,
    account_id: row.accountId,
    amount: row.amount,
    balance: row.balance ?? defaultBalance(row.amount, status, stored),
    currency: row.currency,
    issued_on: row.issuedOn,
    due_on: row.dueOn,
    status,
    disputed: row.disputed === null ? (stored?.disputed ?? 0) : Number(row.disputed),
    source: row.source ?? stored?.source ?? 'import',
    external_id: row.externalId ?? stored?.external_id ?? null,
    contract_id: row.contractId ?? stored?.contract_id ?? null,
    next_plan_at: null,
  };
  if (!stored) {
    values.next_plan_at = OWED_STATUSES.includes(status) ? 0 : null;
    return { kind: 'created', values, statusChange: null, cancelReason: null };
  }
  const replan = PLANNED_FROM.some((column) => values[column] !== stored[column]);
  values.next_plan_at = replan ? 0 : stored.next_plan_at;
  const sameLinks =
    values.source === stored.source &&
    values.external_id === stored.external_id &&
    values.contract_id === stored.contract_id;
  if (!replan && sameLinks) {
    return { kind: 'unchanged', values, statusChange: null, cancelReason: null };
  }
  const statusChange = status !== stored.status ? { from: stored.status, to: status } : null;
  const cancelReason =
    (statusChange && CANCEL_REASONS[status]) ||
    (values.disputed && !stored.disputed ? 'invoice disputed' : null);
  return { kind: 'updated', values, statusChange, cancelReason };
}

function defaultBalance(amount: number, status: InvoiceStatus, stored: InvoiceValues | undefined): number {
  if (SETTLED.includes(status)) return 0;
  if (!stored || SETTLED.includes(stored.status) || stored.balance === stored.amount) return amount;
  return Math.min(stored.balance, amount);
}
