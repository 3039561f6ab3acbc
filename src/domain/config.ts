import type { Audience, CalendarDate, InvoiceStatus, Minor } from './types.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday (Luxon's numbering). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Minutes after local midnight, 0–1439. */
export type MinuteOfDay = number;

/** An offset from an invoice date, in whole days: `due-3d` is `{ anchor: 'due', days: -3 }`. */
export interface DayOffset {
  anchor: 'due' | 'issued';
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
}

/** `client`, `team` (every team member), or `role:<name>` (team members with that role). */
export type AudienceTarget = { audience: Audience; role: string | null };

export type CatchUp = 'latest' | 'all' | 'none';

export interface Policy {
  id: string;
  name: string;
  trigger: 'invoice';
  when: Condition | null;
  /** After downtime: send only the most recent missed step (`latest`), every missed step, or none. */
  catchUp: CatchUp;
  /** One message per account, recipient and channel when several invoices fall due together. */
  group: boolean;
  /** Skip steps before the due date for accounts on auto-pay. */
  skipPreDueForAutoPay: boolean;
  steps: Step[];
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
