import { epochDayOf } from './calendar-date.ts';
import { type Anchor, type DayOffset, INSTANT_ANCHORS, type Policy, type Step } from './config.ts';
import type { CalendarDate, Instant, Invoice } from './types.ts';

const DAY_MS = 86_400_000;

/** When an anchor falls for one subject: a calendar day (day number) or an exact instant. */
export type AnchorTime = { day: number } | { at: Instant };
export type AnchorTimes = Partial<Record<Anchor, AnchorTime>>;

/** One day (or instant) on which a policy step applies to a subject. */
export interface Occurrence {
  step: Step;
  stepIndex: number;
  cycle: number;
  /** Local day number (days since 1970-01-01); for an instant anchor, the UTC day of `at`. */
  day: number;
  /** The exact instant, for steps timed from an instant anchor; null for calendar steps. */
  at: Instant | null;
}

export const dayAnchor = (date: CalendarDate | null): AnchorTime | undefined =>
  date === null ? undefined : { day: epochDayOf(date) };
export const instantAnchor = (at: Instant | null): AnchorTime | undefined =>
  at === null ? undefined : { at };

export function invoiceAnchors(invoice: Invoice): AnchorTimes {
  return { due: { day: epochDayOf(invoice.dueOn) }, issued: { day: epochDayOf(invoice.issuedOn) } };
}

/** The position of an offset on a common scale (ms), or null when its anchor has not happened. */
function offsetPoint(offset: DayOffset, anchors: AnchorTimes): { day: number; at: Instant | null } | null {
  const anchor = anchors[offset.anchor];
  if (!anchor) return null;
  if ('at' in anchor) {
    const at = anchor.at + offset.days * DAY_MS;
    return { day: Math.floor(at / DAY_MS), at };
  }
  return { day: anchor.day + offset.days, at: null };
}

/**
 * Every day a policy's steps fall on for a subject, in order of time then step (later steps are
 * firmer). A step whose anchor has not happened (no failure recovered, no milestone decided) has no
 * occurrence. A repeat with no end (an alert that repeats while its condition holds) is listed up to
 * `horizon` plus one more, so the caller knows when to look again.
 */
export function stepOccurrences(policy: Policy, anchors: AnchorTimes, horizon = 0): Occurrence[] {
  const result: Occurrence[] = [];
  policy.steps.forEach((step, stepIndex) => {
    const first = offsetPoint(step.at, anchors);
    if (!first) return;
    if (!step.everyDays) {
      result.push({ step, stepIndex, cycle: 0, ...first });
      return;
    }
    const last = step.until ? offsetPoint(step.until, anchors) : null;
    if (step.until && !last) return;
    for (let cycle = 0; ; cycle += 1) {
      const day = first.day + cycle * step.everyDays;
      const at = first.at === null ? null : first.at + cycle * step.everyDays * DAY_MS;
      if (last && day > last.day) break;
      result.push({ step, stepIndex, cycle, day, at });
      if (!last && (at ?? day * DAY_MS) > horizon) break;
    }
  });
  return result.sort((a, b) => a.day - b.day || a.stepIndex - b.stepIndex);
}

export function isInstantStep(step: Step): boolean {
  return INSTANT_ANCHORS.has(step.at.anchor);
}
