import { epochDayOf } from './calendar-date.ts';
import { conditionHolds } from './conditions.ts';
import type { DulyConfig, Step } from './config.ts';
import { contactAddress, FIXED_DESTINATION } from './recipients.ts';
import { nextSendableInstant, type SendWindow } from './send-window.ts';
import { type AddressKind, type Instant, type InvoiceFacts, MANUAL_CYCLE, type Touch } from './types.ts';
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

const iso = (ms: Instant) => new Date(ms).toISOString();

function findStep(config: DulyConfig, touch: Touch): Step | null {
  const policy = config.policies.find((p) => p.id === touch.policyId);
  return policy?.steps.find((s) => s.id === touch.stepId) ?? null;
}

function resolveTarget(
  touch: Touch,
  facts: InvoiceFacts,
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

/**
 * The last look before a touch goes out: is the debt still owed, the account not on hold, the step's
 * condition still true, the recipient reachable, and is it a time they may be written to?
 */
export function guardTouch(
  touch: Touch,
  facts: InvoiceFacts | null,
  now: Instant,
  env: { config: DulyConfig; window: SendWindow; addressKind: AddressKind | null | undefined },
): GuardDecision {
  if (!facts) return { kind: 'cancel', reason: 'invoice no longer exists' };
  const { invoice, account } = facts;
  if (invoice.status === 'paid' || invoice.status === 'void' || invoice.status === 'written_off') {
    return { kind: 'cancel', reason: `invoice ${invoice.status.replace('_', ' ')}` };
  }
  if (invoice.status === 'draft') return { kind: 'cancel', reason: 'invoice is a draft' };
  if (invoice.balance <= 0) return { kind: 'cancel', reason: 'nothing left to pay' };
  if (invoice.disputed) return { kind: 'cancel', reason: 'invoice disputed' };
  if (account.pausedUntil !== null && account.pausedUntil > now) {
    const why = account.pauseReason ? `: ${account.pauseReason}` : '';
    return { kind: 'skip', reason: `account paused until ${iso(account.pausedUntil)}${why}` };
  }
  if (invoice.pausedUntil !== null && invoice.pausedUntil > now) {
    return { kind: 'skip', reason: `invoice paused until ${iso(invoice.pausedUntil)}` };
  }
  if (env.addressKind === undefined)
    return { kind: 'skip', reason: `channel ${touch.channel} is not configured` };
  const step = findStep(env.config, touch);
  if (!step)
    return { kind: 'skip', reason: `step ${touch.policyId}/${touch.stepId} is no longer in the policy` };
  const target = resolveTarget(touch, facts, env.config, env.addressKind);
  if (typeof target === 'string') return { kind: 'skip', reason: target };
  const clock = zoneClock(target.zone);
  const daysOverdue = clock.localDay(now) - epochDayOf(invoice.dueOn);
  if (touch.cycle !== MANUAL_CYCLE && !conditionHolds(step.when, invoice, account, daysOverdue)) {
    return { kind: 'skip', reason: 'the step condition no longer holds' };
  }
  const sendable = nextSendableInstant(now, clock, env.window);
  if (sendable > now) {
    return { kind: 'defer', until: sendable, reason: `outside sending hours in ${target.zone}` };
  }
  return { kind: 'send', target, step };
}
