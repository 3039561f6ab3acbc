import type { Generated } from 'kysely';

/**
 * Table shapes as stored. Instants are integer epoch milliseconds (`*_at`), calendar dates are
 * `YYYY-MM-DD` text (`*_on`), money is integer minor units, booleans are 0/1, lists are JSON text.
 * Every table carries `tenant_id`.
 */
export interface Database {
  tenants: TenantsTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  events: EventsTable;
  touches: TouchesTable;
  attempts: AttemptsTable;
  audit: AuditTable;
  audit_heads: AuditHeadsTable;
  local_messages: LocalMessagesTable;
  config_versions: ConfigVersionsTable;
  contracts: ContractsTable;
  milestones: MilestonesTable;
  tasks: TasksTable;
  promises: PromisesTable;
  charges: ChargesTable;
  alert_states: AlertStatesTable;
  threshold_checks: ThresholdChecksTable;
}

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface AccountsTable {
  tenant_id: string;
  id: string;
  name: string;
  timezone: string | null;
  locale: string | null;
  currency: string | null;
  tags: string;
  owner: string | null;
  paused_until: number | null;
  pause_reason: string | null;
  auto_pay: number;
  /** A policy this account always follows, instead of the first whose conditions hold. */
  policy_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  tenant_id: string;
  id: string;
  account_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  telegram: string | null;
  preferred_channel: string | null;
  timezone: string | null;
  locale: string | null;
  opt_outs: string;
  created_at: number;
  updated_at: number;
}

export interface InvoicesTable {
  tenant_id: string;
  id: string;
  number: string;
  account_id: string;
  amount: number;
  balance: number;
  currency: string;
  issued_on: string;
  due_on: string;
  status: string;
  disputed: number;
  paused_until: number | null;
  source: string;
  external_id: string | null;
  contract_id: string | null;
  /** Staff turned client reminders off for this one invoice. */
  opted_out: Generated<number>;
  /** When the planner must look at this invoice again: 0 = now (changed), null = nothing left to plan. */
  next_plan_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  amount: number;
  currency: string;
  status: string;
  paid_at: number;
  source: string;
  external_id: string | null;
  failure_reason: string | null;
  /** Failed payments: when a later payment of the invoice succeeded. */
  recovered_at: number | null;
  created_at: number;
}

export interface EventsTable {
  tenant_id: string;
  id: Generated<number>;
  source: string;
  event_id: string;
  type: string;
  payload: string;
  occurred_at: number | null;
  received_at: number;
}

export interface TouchesTable {
  tenant_id: string;
  id: Generated<number>;
  dedupe_key: string;
  policy_id: string;
  step_id: string;
  step_index: number;
  cycle: number;
  /** What the touch is about: `invoice`, `payment`, `contract`, `milestone`, `account`, `report`. */
  subject_kind: Generated<string>;
  subject_id: string;
  account_id: string;
  audience: string;
  recipient: string;
  channel: string;
  template: string;
  scheduled_at: number;
  due_at: number;
  state: string;
  attempts: number;
  /** When the touch is next eligible to be claimed (due_at, a retry time, or the end of a deferral). */
  next_attempt_at: number | null;
  /** While `sending`: when the claim lapses and another worker may take the touch up again. */
  lease_until: number | null;
  reason: string | null;
  provider_message_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptsTable {
  tenant_id: string;
  id: Generated<number>;
  touch_id: number;
  attempt_no: number;
  channel: string;
  started_at: number;
  finished_at: number;
  outcome: string;
  provider_message_id: string | null;
  detail: string | null;
}

export interface AuditTable {
  tenant_id: string;
  seq: number;
  at: number;
  kind: string;
  subject: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  tenant_id: string;
  seq: number;
  hash: string;
}

export interface LocalMessagesTable {
  tenant_id: string;
  id: Generated<number>;
  kind: string;
  channel: string;
  recipient_name: string;
  recipient_address: string;
  subject: string;
  text: string;
  html: string | null;
  headers: string;
  metadata: string;
  created_at: number;
  read_at: number | null;
}

export interface ConfigVersionsTable {
  tenant_id: string;
  version: number;
  hash: string;
  source: string;
  body: string;
  created_at: number;
}

export interface ContractsTable {
  tenant_id: string;
  id: string;
  account_id: string;
  name: string;
  /** `contract`, `subscription` or `recurring_job`. */
  kind: string;
  amount: number | null;
  currency: string | null;
  starts_on: string | null;
  ends_on: string | null;
  auto_renew: number;
  /** The next renewal charge. */
  renews_on: string | null;
  /** The next recurring invoice. */
  next_invoice_on: string | null;
  /** `renew`, `renegotiate` or `end`, once staff decided what happens at the end date. */
  decision: string | null;
  decided_at: number | null;
  decided_by: string | null;
  decision_note: string | null;
  next_plan_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MilestonesTable {
  tenant_id: string;
  id: string;
  account_id: string;
  contract_id: string | null;
  title: string;
  amount: number | null;
  currency: string | null;
  /** `pending`, `ready`, `approved` or `changes_requested`. */
  state: string;
  ready_at: number | null;
  decided_at: number | null;
  decided_by: string | null;
  decision_note: string | null;
  next_plan_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TasksTable {
  id: Generated<number>;
  tenant_id: string;
  dedupe_key: string;
  kind: string;
  title: string;
  owner: string | null;
  due_on: string;
  account_id: string;
  invoice_id: string | null;
  /** `open` or `done`. */
  state: string;
  closed_reason: string | null;
  created_at: number;
  closed_at: number | null;
}

export interface PromisesTable {
  id: Generated<number>;
  tenant_id: string;
  account_id: string;
  invoice_id: string;
  amount: number;
  currency: string;
  promised_on: string;
  /** `open`, `kept`, `broken` or `withdrawn`. */
  state: string;
  recorded_by: string;
  note: string | null;
  created_at: number;
  resolved_at: number | null;
  /** The invoice's balance when the promise was made. */
  balance_at_promise: number | null;
  /** Client reminders wait until this instant: the end of the promised day in the account's zone. */
  wait_until: number | null;
}

export interface ChargesTable {
  id: Generated<number>;
  tenant_id: string;
  dedupe_key: string;
  invoice_id: string;
  /** `late_fee` or `interest`. */
  kind: string;
  amount: number;
  currency: string;
  /** How the amount was worked out (JSON): rate, days, balance. */
  basis: string;
  touch_id: number | null;
  created_at: number;
}

export interface AlertStatesTable {
  tenant_id: string;
  policy_id: string;
  account_id: string;
  /** When the threshold condition started holding. */
  since: number;
  next_plan_at: number | null;
}

/** The local day the daily oldest-overdue look last ran for a threshold policy. */
export interface ThresholdChecksTable {
  tenant_id: string;
  policy_id: string;
  checked_on: string;
}
