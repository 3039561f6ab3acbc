import type { CalendarDate, InvoiceStatus, Minor } from '../../domain/types.ts';

/**
 * One valid line of an import file. `null` means the cell was empty or the column absent: a new record
 * gets the default, an existing one keeps what is stored (so a re-import never undoes a payment that
 * arrived from a webhook in between).
 */
export interface ImportRow {
  /** Physical line in the file where the record starts. */
  line: number;
  account: ImportAccount;
  contact: ImportContact | null;
  invoice: ImportInvoice;
}

export interface ImportAccount {
  id: string;
  name: string;
  timezone: string | null;
  locale: string | null;
  tags: string[] | null;
  owner: string | null;
  autoPay: boolean | null;
}

export interface ImportContact {
  /** `contact_id`, else `<account_id>:<first 16 hex of sha256 of the email, phone, whatsapp or telegram>`. */
  id: string;
  accountId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  telegram: string | null;
  preferredChannel: string | null;
}

export interface ImportInvoice {
  number: string;
  accountId: string;
  amount: Minor;
  balance: Minor | null;
  currency: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  status: InvoiceStatus | null;
  disputed: boolean | null;
  source: string | null;
  externalId: string | null;
  /** The contract or subscription that generated the invoice; its confirmation notice follows. */
  contractId: string | null;
}

export const REQUIRED_COLUMNS = [
  'account_id',
  'account_name',
  'invoice_number',
  'amount',
  'currency',
  'issued_on',
  'due_on',
] as const;

export const OPTIONAL_COLUMNS = [
  'contact_id',
  'contact_name',
  'email',
  'phone',
  'whatsapp',
  'telegram',
  'preferred_channel',
  'timezone',
  'locale',
  'balance',
  'status',
  'disputed',
  'tags',
  'owner',
  'auto_pay',
  'source',
  'external_id',
  'contract_id',
] as const;

export type ImportColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Cells of one record by column, trimmed; missing columns and empty cells are both absent. */
export type ImportCells = Partial<Record<ImportColumn, string>>;

export const IMPORT_COLUMNS: ReadonlySet<string> = new Set([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

/** A problem with one field of one record, before it is given its file and line. */
export interface FieldProblem {
  field: string;
  problem: string;
}
