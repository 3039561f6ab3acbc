import type { PlannedTouch } from '../domain/types.ts';
import type { TimelineEntry } from './simulate-timeline.ts';

/** What a simulated touch is about, as staff read it. */
export interface TimelineSubject {
  trigger: string;
  subject: string;
  account: string;
  /** Contact names by id, so a client recipient reads as a person. */
  names?: Map<string, string>;
}

/** One line of `duly simulate` for a planned touch. */
export function timelineEntry(t: PlannedTouch, about: TimelineSubject): TimelineEntry {
  return {
    at: t.dueAt,
    scheduledAt: t.scheduledAt,
    trigger: about.trigger,
    subject: about.subject,
    account: about.account,
    policy: t.policyId,
    step: t.stepId,
    channel: t.channel,
    audience: t.audience,
    recipient: t.audience === 'client' ? (about.names?.get(t.recipient) ?? t.recipient) : t.recipient,
  };
}
