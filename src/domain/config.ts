import type { Audience, CalendarDate, InvoiceStatus, Minor } from './types.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday (Luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Minutes after local midnight, 0–1439. */
export type MinuteOfDay = number;

/** What a policy reacts to. Each trigger has its own subject and the anchors its steps are timed from. */
export const TRIGGERS = [
  'invoice',
  'payment_failed',
  'recurring',
  'contract_end',
  'renewal',
  'milestone',
  'threshold',
  'summary',
  'promise_broken',
  'dispute',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/**
 * Dates a step can be timed from. Calendar anchors (`due`, `end` …) are dates: the step goes out at
 * the send time of that day in the recipient's zone. Instant anchors (`failed`, `ready` …) are moments:
 * the step goes out at that moment, plus whole days.
 */
export const TRIGGER_ANCHORS = {
  invoice: ['due', 'issued'],
  payment_failed: ['failed', 'recovered'],
  recurring: ['next_invoice', 'issued'],
  contract_end: ['end'],
  renewal: ['renewal'],
  milestone: ['ready', 'decided'],
  threshold: ['crossed'],
  summary: ['period'],
  promise_broken: ['broken'],
  dispute: ['disputed'],
} as const satisfies Record<Trigger, readonly string[]>;
export type Anchor = (typeof TRIGGER_ANCHORS)[Trigger][number];
export const INSTANT_ANCHORS: ReadonlySet<Anchor> = new Set<Anchor>([
  'failed',
  'recovered',
  'ready',
  'decided',
  'crossed',
  'broken',
  'disputed',
]);

/** An offset from an anchor, in whole days: `due-3d` is `{ anchor: 'due', days: -3 }`. */
export interface DayOffset {
  anchor: Anchor;
  days: number;
}

/** A threshold in minor units: per currency, and/or one value that applies to any other currency. */
export interface MoneyThreshold {
  byCurrency: Record<string, Minor>;
  any: Minor | null;
}

/** Conditions an invoice must meet for a policy or a step to apply. All given fields must hold. */
export interface Condition {
  status?: InvoiceStatus[];
  balanceGte?: MoneyThreshold;
  balanceLt?: MoneyThreshold;
  tagsAny?: string[];
  tagsNone?: string[];
  daysOverdueGte?: number;
  daysOverdueLt?: number;
}

/** A charge a step adds to an overdue invoice: fixed, a share of the balance, or interest accrued daily. */
export type LateCharge =
  | { kind: 'fixed'; amount: MoneyThreshold }
  | { kind: 'percent'; percent: number }
  | { kind: 'interest'; annualPercent: number };

export interface Step {
  id: string;
  at: DayOffset;
  /** Local send time in the recipient's zone; defaults to the config's `send_time`. */
  sendTime: MinuteOfDay | null;
  to: AudienceTarget[];
  /** Channel names in order of preference. */
  via: string[];
  /** `first`: the first channel the recipient is reachable on; `all`: every listed channel. */
  deliver: 'first' | 'all';
  template: string;
  when: Condition | null;
  /** Repeat every N days after the first occurrence … */
  everyDays: number | null;
  /** … until this offset (inclusive). Required with everyDays. */
  until: DayOffset | null;
  /** A late fee or interest recorded as a charge and quoted in the message. */
  charge: LateCharge | null;
  /** Hand the account's history over with the message (CSV and PDF attachments). */
  attachHistory: boolean;
}

/**
 * `client`, `team` (every team member), `role:<name>` (team members with that role), or `owner`
 * (the account's owner; the whole team when the account has none).
 */
export type AudienceTarget = { audience: Audience; role: string | null; owner?: boolean };

export type CatchUp = 'latest' | 'all' | 'none';

/** When a summary goes out: every week or two on a weekday, or monthly on a day of the month, at a local time. */
export interface ReportSchedule {
  every: 'week' | '2weeks' | 'month';
  /** ISO weekday for weekly schedules, day of the month (1–28) for monthly ones. */
  on: number;
  time: MinuteOfDay;
  /** A day the biweekly rhythm counts from (a date of its first run). */
  from: CalendarDate | null;
}

/** When an account is over its threshold: any given limit reached is enough. */
export interface AccountThreshold {
  outstandingGte: MoneyThreshold | null;
  oldestOverdueDaysGte: number | null;
}

/** A follow-up task a trigger opens for the team. */
export interface TaskRule {
  /** Days after the event the task is due. */
  dueInDays: number;
}

export interface EarlyPaymentDiscount {
  percent: number;
  /** Paid this many days before the due date or earlier. */
  daysBeforeDue: number;
}

export interface Policy {
  id: string;
  name: string;
  trigger: Trigger;
  when: Condition | null;
  /** After downtime: send only the most recent missed step (`latest`), every missed step, or none. */
  catchUp: CatchUp;
  /** One message per account, recipient and channel when several invoices fall due together. */
  group: boolean;
  /** Skip steps before the due date for accounts on auto-pay. */
  skipPreDueForAutoPay: boolean;
  steps: Step[];
  /** `summary` policies: when the report goes out. */
  schedule: ReportSchedule | null;
  /** `threshold` policies: what counts as over the line. */
  threshold: AccountThreshold | null;
  /** `payment_failed` policies: the follow-up task. */
  task: TaskRule | null;
  /** `invoice` policies: a discount quoted in messages sent before the due date. */
  earlyPaymentDiscount: EarlyPaymentDiscount | null;
}

export interface QuietHours {
  from: MinuteOfDay;
  to: MinuteOfDay;
}

export interface HolidayCalendar {
  /** date-holidays country (and optional state/region), e.g. `US` or `US-NY`. */
  country: string | null;
  /** Extra closed dates from the config. */
  dates: CalendarDate[];
}

export interface TeamMember {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  roles: string[];
  timezone: string | null;
}

/** A configured channel: which provider, and its raw options (parsed by the provider's adapter). */
export interface ChannelConfig {
  name: string;
  provider: string;
  options: Record<string, unknown>;
}

export interface RetryConfig {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DispatchConfig {
  maxInFlight: number;
  leaseMs: number;
  batchSize: number;
  sendTimeoutMs: number;
  /** Touches are planned this long before they are due, so the due instant only has to send them. */
  planAheadMs: number;
}

export interface DulyConfig {
  /** Default zone for accounts and contacts that have none. */
  timezone: string;
  locale: string;
  currency: string;
  sendTime: MinuteOfDay;
  businessDays: Weekday[];
  holidays: HolidayCalendar;
  quietHours: QuietHours | null;
  /** Base URL used in links (unsubscribe, portal). */
  publicUrl: string;
  channels: Record<string, ChannelConfig>;
  team: TeamMember[];
  retry: RetryConfig;
  dispatch: DispatchConfig;
  policies: Policy[];
}
