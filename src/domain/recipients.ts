import type { AudienceTarget, DulyConfig, Step } from './config.ts';
import type { AccountFacts, AddressKind, Audience, Contact } from './types.ts';

/** Which contact address each configured channel delivers to; null for a fixed destination. */
export type AddressKinds = Record<string, AddressKind | null>;

/** One recipient of a step and the channels to use for them. */
export interface ResolvedRecipient {
  audience: Audience;
  /** Contact id, team member id, or `*` for a channel with one fixed destination. */
  id: string;
  zone: string;
  channels: string[];
}

/** Recipient id of a team channel that has one fixed destination (a chat webhook, the in-app feed). */
export const FIXED_DESTINATION = '*';

export function contactAddress(contact: Pick<Contact, AddressKind>, kind: AddressKind): string | null {
  return contact[kind];
}

function pickChannels(
  via: string[],
  deliver: Step['deliver'],
  preferred: string | null,
  reachable: (channel: string) => boolean,
): string[] {
  const ordered =
    preferred && via.includes(preferred) ? [preferred, ...via.filter((c) => c !== preferred)] : via;
  const usable = ordered.filter(reachable);
  // Nothing reachable: still plan the first channel, so the outbox records why it was skipped.
  if (usable.length === 0) return ordered.slice(0, 1);
  return deliver === 'first' ? usable.slice(0, 1) : usable;
}

function clientRecipients(step: Step, facts: AccountFacts, config: DulyConfig, kinds: AddressKinds) {
  return facts.contacts.map((contact): ResolvedRecipient => {
    const reachable = (channel: string) => {
      if (contact.optOuts.includes(channel)) return false;
      const kind = kinds[channel];
      return kind === null || (kind !== undefined && contactAddress(contact, kind) !== null);
    };
    return {
      audience: 'client',
      id: contact.id,
      zone: contact.timezone ?? facts.account.timezone ?? config.timezone,
      channels: pickChannels(step.via, step.deliver, contact.preferredChannel, reachable),
    };
  });
}

function teamRecipients(
  targets: AudienceTarget[],
  step: Step,
  facts: AccountFacts,
  config: DulyConfig,
  kinds: AddressKinds,
) {
  const team = targets.filter((t) => t.audience === 'team');
  const owner = facts.account.owner;
  // An account with no owner (or an owner no longer on the team) falls back to the whole team.
  const ownerKnown = owner !== null && config.team.some((m) => m.id === owner);
  const everyone = team.some((t) => t.role === null && (!t.owner || !ownerKnown));
  const roles = team.map((t) => t.role).filter((r): r is string => r !== null);
  const members = config.team.filter(
    (m) =>
      everyone ||
      roles.some((r) => m.roles.includes(r)) ||
      (ownerKnown && m.id === owner && team.some((t) => t.owner)),
  );
  const fixed = step.via.filter((channel) => kinds[channel] === null);
  const personal = step.via.filter((channel) => kinds[channel] !== null);
  const result: ResolvedRecipient[] = [];
  if (fixed.length > 0) {
    const channels = step.deliver === 'first' ? fixed.slice(0, 1) : fixed;
    result.push({ audience: 'team', id: FIXED_DESTINATION, zone: config.timezone, channels });
  }
  if (personal.length > 0 && (fixed.length === 0 || step.deliver === 'all')) {
    for (const member of members) {
      const reachable = (channel: string) => {
        const kind = kinds[channel];
        return (
          kind !== null && kind !== undefined && (kind === 'email' ? member.email : member.phone) !== null
        );
      };
      const channels = pickChannels(personal, step.deliver, null, reachable);
      result.push({ audience: 'team', id: member.id, zone: member.timezone ?? config.timezone, channels });
    }
  }
  return result;
}

/** Everyone a step speaks to, each with the channels to use, in their own time zone. */
export function resolveRecipients(
  step: Step,
  facts: AccountFacts,
  config: DulyConfig,
  kinds: AddressKinds,
): ResolvedRecipient[] {
  const wantsClient = step.to.some((t) => t.audience === 'client');
  const wantsTeam = step.to.some((t) => t.audience === 'team');
  return [
    ...(wantsClient ? clientRecipients(step, facts, config, kinds) : []),
    ...(wantsTeam ? teamRecipients(step.to, step, facts, config, kinds) : []),
  ];
}
