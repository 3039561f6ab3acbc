import { epochDayOf } from './calendar-date.ts';
import { conditionHolds } from './conditions.ts';
import type { DulyConfig, Policy, Step } from './config.ts';
import { contactAddress, FIXED_DESTINATION } from './recipients.ts';
import { nextSendableInstant, type SendWindow } from './send-window.ts';
import {
  type AccountFacts,
  type AddressKind,
  type Instant,
  type InvoiceFacts,
  MANUAL_CYCLE,
  type Touch,
} from './types.ts';
import { zoneClock } from './zone-clock.ts';

/** Who a touch goes to at send time, and how to speak to them. */
export interface SendTarget {
  name: string;
  address: string;
  zone: string;
  locale: string;
}

export type GuardDecision =
  | { kind: 'send'; target: SendTarget; step: Step }
  | { kind: 'defer'; until: Instant; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'cancel'; reason: string };

/** A verdict that stops a touch before delivery is even considered. */
export type StopDecision = Extract<GuardDecision, { kind: 'skip' | 'cancel' }>;

export interface GuardEnv {
  config: DulyConfig;
  window: SendWindow;
  /** The channel's address kind; undefined when the channel is not configured. */
  addressKind: AddressKind | null | undefined;
}

export const iso = (ms: Instant) => new Date(ms).toISOString();

export function findStep(config: DulyConfig, touch: Pick<Touch, 'policyId' | 'stepId'>): Step | null {
  return findPolicy(config, touch)?.steps.find((s) => s.id === touch.stepId) ?? null;
}

export function findPolicy(config: DulyConfig, touch: Pick<Touch, 'policyId'>): Policy | null {
  return config.policies.find((p) => p.id === touch.policyId) ?? null;
}

function resolveTarget(
  touch: Touch,
  facts: AccountFacts,
  config: DulyConfig,
  kind: AddressKind | null,
): SendTarget | string {
  const locale = facts.account.locale ?? config.locale;
  if (touch.audience === 'team') {
    if (touch.recipient === FIXED_DESTINATION)
      return { name: 'Team', address: '*', zone: config.timezone, locale };
    const member = config.team.find((m) => m.id === touch.recipient);
    if (!member) return `team member ${touch.recipient} is no longer in the config`;
    const address = kind === null ? member.id : kind === 'email' ? member.email : member.phone;
    if (!address) return `team member ${member.id} has no ${kind} address`;
    return { name: member.name, address, zone: member.timezone ?? config.timezone, locale: config.locale };
  }
  const contact = facts.contacts.find((c) => c.id === touch.recipient);
  if (!contact) return `contact ${touch.recipient} no longer exists`;
  if (contact.optOuts.includes(touch.channel)) return `contact opted out of ${touch.channel}`;
  const address = kind === null ? contact.id : contactAddress(contact, kind);
  if (!address) return `contact has no ${kind} address`;
  return {
    name: contact.name,
    address,
    zone: contact.timezone ?? facts.account.timezone ?? config.timezone,
    locale: contact.locale ?? locale,
  };
}

/** Client touches wait while the account is paused; the team still hears about it. */
export function accountPauseStop(touch: Touch, facts: AccountFacts, now: Instant): StopDecision | null {
  const { account } = facts;
  if (touch.audience !== 'client' || account.pausedUntil === null || account.pausedUntil <= now) return null;
  const why = account.pauseReason ? `: ${account.pauseReason}` : '';
  return { kind: 'skip', reason: `account paused until ${iso(account.pausedUntil)}${why}` };
}

/**
 * The delivery half of the last look, for any subject: is the channel configured and the step still in
 * the policy, is the recipient reachable, does the step's condition still hold on their local day (the
 * caller's `stillHolds`; never asked for a message sent by hand), and is it a time they may be written to?
 */
export function guardDelivery(
  touch: Touch,
  facts: AccountFacts,
  now: Instant,
  env: GuardEnv,
  stillHolds: ((localDay: number) => boolean) | null = null,
): GuardDecision {
  if (env.addressKind === undefined)
    return { kind: 'skip', reason: `channel ${touch.channel} is not configured` };
  const step = findStep(env.config, touch);
  if (!step)
    return { kind: 'skip', reason: `step ${touch.policyId}/${touch.stepId} is no longer in the policy` };
  const target = resolveTarget(touch, facts, env.config, env.addressKind);
  if (typeof target === 'string') return { kind: 'skip', reason: target };
  const clock = zoneClock(target.zone);
  if (stillHolds && touch.cycle !== MANUAL_CYCLE && !stillHolds(clock.localDay(now))) {
    return { kind: 'skip', reason: 'the step condition no longer holds' };
  }
  const sendable = nextSendableInstant(now, clock, env.window);
  if (sendable > now) {
    return { kind: 'defer', until: sendable, reason: `outside sending hours in ${target.zone}` };
  }
  return { kind: 'send', target, step };
}

/** Whether an invoice is still owed and not held: the subject half of the last look before a reminder. */
export function invoiceStop(touch: Touch, facts: InvoiceFacts, now: Instant): StopDecision | null {
  const { invoice } = facts;
  if (invoice.status === 'paid' || invoice.status === 'void' || invoice.status === 'written_off') {
    return { kind: 'cancel', reason: `invoice ${invoice.status.replace('_', ' ')}` };
  }
  if (invoice.status === 'draft') return { kind: 'cancel', reason: 'invoice is a draft' };
  if (invoice.balance <= 0) return { kind: 'cancel', reason: 'nothing left to pay' };
  if (invoice.disputed) return { kind: 'cancel', reason: 'invoice disputed' };
  const paused = accountPauseStop({ ...touch, audience: 'client' }, facts, now);
  if (paused) return paused;
  if (invoice.pausedUntil !== null && invoice.pausedUntil > now) {
    return { kind: 'skip', reason: `invoice paused until ${iso(invoice.pausedUntil)}` };
  }
  if (touch.audience === 'client' && invoice.optedOut) {
    return { kind: 'cancel', reason: 'client reminders are turned off for this invoice' };
  }
  if (touch.audience === 'client' && facts.promisedUntil && facts.promisedUntil > now) {
    return {
      kind: 'skip',
      reason: `the client promised to pay; reminders wait until ${iso(facts.promisedUntil)}`,
    };
  }
  return null;
}

/**
 * The last look before an invoice reminder goes out: is the debt still owed, the account not on hold,
 * the step's condition still true, the recipient reachable, and is it a time they may be written to?
 */
export function guardTouch(
  touch: Touch,
  facts: InvoiceFacts | null,
  now: Instant,
  env: GuardEnv,
): GuardDecision {
  if (!facts) return { kind: 'cancel', reason: 'invoice no longer exists' };
  const stop = invoiceStop(touch, facts, now);
  if (stop) return stop;
  const { invoice, account } = facts;
  return guardDelivery(touch, facts, now, env, (localDay) => {
    const step = findStep(env.config, touch);
    return conditionHolds(step?.when ?? null, invoice, account, localDay - epochDayOf(invoice.dueOn));
  });
}
