import { epochDayOf } from './calendar-date.ts';
import type { DayOffset, Policy, Step } from './config.ts';
import type { Invoice } from './types.ts';

/** One calendar day on which a policy step applies to an invoice. */
export interface Occurrence {
  step: Step;
  stepIndex: number;
  cycle: number;
  /** Local day number (days since 1970-01-01) in the recipient's zone. */
  day: number;
}

function anchorDay(offset: DayOffset, invoice: Invoice): number {
  return epochDayOf(offset.anchor === 'due' ? invoice.dueOn : invoice.issuedOn) + offset.days;
}

/** Every day a policy's steps fall on for an invoice, in order of day then step (later steps are firmer). */
export function stepOccurrences(policy: Policy, invoice: Invoice): Occurrence[] {
  const result: Occurrence[] = [];
  policy.steps.forEach((step, stepIndex) => {
    const first = anchorDay(step.at, invoice);
    if (step.everyDays && step.until) {
      const last = anchorDay(step.until, invoice);
      for (let cycle = 0, day = first; day <= last; cycle += 1, day += step.everyDays) {
        result.push({ step, stepIndex, cycle, day });
      }
    } else {
      result.push({ step, stepIndex, cycle: 0, day: first });
    }
  });
  return result.sort((a, b) => a.day - b.day || a.stepIndex - b.stepIndex);
}
