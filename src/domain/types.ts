/** Core vocabulary of Duly (see ../shared/DESIGN.md). Pure data, no behaviour. */

/** Milliseconds since the Unix epoch, UTC. Every instant in the domain is one of these. */
export type Instant = number;
/** A calendar date, `YYYY-MM-DD`, with no time zone of its own. */
export type CalendarDate = string;
/** Money in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export type Minor = number;

export const INVOICE_STATUSES = ['draft', 'open', 'partial', 'paid', 'void', 'written_off'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** Statuses that still call for collection. */
export const OWED_STATUSES: readonly InvoiceStatus[] = ['open', 'partial'];

export const TOUCH_STATES = [
  'planned',
  'sending',
  'sent',
  'delivered',
  'failed',
  'retrying',
  'deferred',
  'cancelled',
  'skipped',
  'dead',
] as const;
export type TouchState = (typeof TOUCH_STATES)[number];
/** A touch in one of these states will never be sent again. */
export const TERMINAL_TOUCH_STATES: readonly TouchState[] = [
  'sent',
  'delivered',
  'cancelled',
  'skipped',
  'dead',
];
/** A touch in one of these states is waiting to be sent. */
export const PENDING_TOUCH_STATES: readonly TouchState[] = ['planned', 'retrying', 'deferred'];

export interface Account {
  id: string;
  name: string;
  timezone: string | null;
  locale: string | null;
  currency: string | null;
  tags: string[];
  owner: string | null;
  pausedUntil: Instant | null;
  pauseReason: string | null;
  autoPay: boolean;
  /** A policy this account always follows (per-account override), or null for the usual choice. */
  policyId: string | null;
}

/** Channel address kinds a contact can hold. */
export type AddressKind = 'email' | 'phone' | 'whatsapp' | 'telegram';

export interface Contact {
  id: string;
  accountId: string;
  name: string;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  telegram: string | null;
  preferredChannel: string | null;
  timezone: string | null;
  locale: string | null;
  /** Channel names (as named in the config) this contact has opted out of. */
  optOuts: string[];
}

export interface Invoice {
  id: string;
  number: string;
  accountId: string;
  amount: Minor;
  balance: Minor;
  currency: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  status: InvoiceStatus;
  disputed: boolean;
  pausedUntil: Instant | null;
  source: string;
  externalId: string | null;
  /** The contract or subscription that generated this invoice, if any. */
  contractId: string | null;
  /** Staff turned client reminders off for this invoice alone. */
  optedOut: boolean;
}

/** An account with its contacts: who a message about any of its subjects can reach. */
export interface AccountFacts {
  account: Account;
  contacts: Contact[];
}

/** Everything the planner needs to know about one invoice. */
export interface InvoiceFacts extends AccountFacts {
  invoice: Invoice;
  /** Until when client reminders wait for an open promise to pay; absent or null when there is none. */
  promisedUntil?: Instant | null;
}

/** What a touch is about. Each kind has its own planner, guard and template variables. */
export const SUBJECT_KINDS = ['invoice', 'payment', 'contract', 'milestone', 'account', 'report'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export type Audience = 'client' | 'team';

/** The cycle of a touch that staff asked for by hand: outside the schedule, so no catch-up or step condition applies. */
export const MANUAL_CYCLE = -1;

/** One planned message, before it is stored in the outbox. */
export interface PlannedTouch {
  dedupeKey: string;
  policyId: string;
  stepId: string;
  /** 0 for a one-off step; n for the n-th repetition of a repeating step; MANUAL_CYCLE when staff sent it. */
  cycle: number;
  subjectKind: SubjectKind;
  /** Invoice id, payment id, contract id, milestone id, account id or report period, by kind. */
  subjectId: string;
  /** The account the subject belongs to; a report's is the tenant's `*`. */
  accountId: string;
  audience: Audience;
  /** Contact id for client touches, team member id (or `channel`) for team touches. */
  recipient: string;
  /** Channel name as configured (`email`, `sms`, `team` …). */
  channel: string;
  template: string;
  /** When the touch should go out (already moved out of quiet hours and non-business days). */
  dueAt: Instant;
  /** When the step was scheduled, before deferral: what the timeline says. */
  scheduledAt: Instant;
  /** Position of the step in its policy: a later step is firmer. */
  stepIndex: number;
}

export interface Touch extends PlannedTouch {
  id: string;
  state: TouchState;
  attempts: number;
  nextAttemptAt: Instant | null;
  reason: string | null;
}
