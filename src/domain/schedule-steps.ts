import type { DulyConfig, Policy } from './config.ts';
import type { Occurrence } from './occurrences.ts';
import { type AddressKinds, type ResolvedRecipient, resolveRecipients } from './recipients.ts';
import { nextSendableInstant, type SendWindow } from './send-window.ts';
import type { AccountFacts, Instant, PlannedTouch, SubjectKind } from './types.ts';
import { zoneClock } from './zone-clock.ts';

export interface PlanEnv {
  config: DulyConfig;
  window: SendWindow;
  addressKinds: AddressKinds;
}

export interface SubjectPlan {
  /** Touches due by `now` plus the plan-ahead window (deduplicated by key in the outbox). */
  touches: PlannedTouch[];
  /** When this subject needs planning again, or null when no step is left. */
  nextPlanAt: Instant | null;
}

/** With catch-up `none`, a step missed by more than this is dropped (the dispatcher applies the same rule). */
export const NONE_CATCH_UP_GRACE_MS = 24 * 3_600_000;

export interface Subject {
  kind: SubjectKind;
  id: string;
  accountId: string;
  /**
   * What makes this subject's touches distinct in dedupe keys when the same record comes round again
   * (a contract's next period, an alert's next episode). Defaults to the id.
   */
  key?: string;
}

/**
 * A touch's identity: the same policy step, cycle, subject, recipient and channel is the same touch,
 * however often it is planned. The audience is part of the recipient: a contact and a team member
 * may share an id.
 */
export function touchDedupeKey(
  policyId: string,
  step: { id: string },
  cycle: number | string,
  subjectKey: string,
  recipient: { audience: string; id: string },
  channel: string,
): string {
  return `${policyId}/${step.id}/${cycle}/${subjectKey}/${recipient.audience}:${recipient.id}/${channel}`;
}

/**
 * Turns a subject's step occurrences into touches at `now`: each recipient in their own zone, the
 * steps whose time has come (after the policy's catch-up rule) and those due within the plan-ahead
 * window, and the next instant a step enters that window. Pure.
 */
export function scheduleSteps(
  policy: Policy,
  subject: Subject,
  facts: AccountFacts,
  occurrences: Occurrence[],
  now: Instant,
  env: PlanEnv,
): SubjectPlan {
  const touches: PlannedTouch[] = [];
  let nextPlanAt: Instant | null = null;
  const recipientsByStep = new Map<number, ResolvedRecipient[]>();
  const recipientsOf = (o: Occurrence) => {
    let list = recipientsByStep.get(o.stepIndex);
    if (!list) {
      list = resolveRecipients(o.step, facts, env.config, env.addressKinds);
      recipientsByStep.set(o.stepIndex, list);
    }
    return list;
  };
  const scheduledAt = (o: Occurrence, zone: string) =>
    o.at ?? zoneClock(zone).instantOf(o.day, o.step.sendTime ?? env.config.sendTime);

  // Each recipient is scheduled in their own zone, so "past" is decided per recipient.
  const recipientIds = new Map<string, ResolvedRecipient>();
  for (const o of occurrences) for (const r of recipientsOf(o)) recipientIds.set(`${r.audience}:${r.id}`, r);

  const ahead = env.config.dispatch.planAheadMs;
  const subjectKey = subject.key ?? subject.id;
  for (const [recipientKey, recipient] of recipientIds) {
    // In time order, not step order: a step with a late send time can share a day with a later step that
    // goes out earlier, and the scan below stops at the first step beyond the plan-ahead window.
    const own = occurrences
      .filter((o) => recipientsOf(o).some((r) => `${r.audience}:${r.id}` === recipientKey))
      .map((o) => ({ o, at: scheduledAt(o, recipient.zone) }))
      .sort((a, b) => a.at - b.at);
    const past: Occurrence[] = [];
    const upcoming: Occurrence[] = [];
    for (const { o, at } of own) {
      if (at <= now) past.push(o);
      else if (at <= now + ahead) upcoming.push(o);
      else {
        // Look again when this step comes within the plan-ahead window.
        if (nextPlanAt === null || at - ahead < nextPlanAt) nextPlanAt = at - ahead;
        break;
      }
    }
    const caughtUp =
      policy.catchUp === 'all'
        ? past
        : policy.catchUp === 'latest'
          ? past.slice(-1)
          : past.filter((o) => now - scheduledAt(o, recipient.zone) <= NONE_CATCH_UP_GRACE_MS);
    const chosen = [...caughtUp, ...upcoming];
    for (const o of chosen) {
      const own = recipientsOf(o).find((r) => `${r.audience}:${r.id}` === recipientKey) ?? recipient;
      const at = scheduledAt(o, own.zone);
      const dueAt = Math.max(nextSendableInstant(at, zoneClock(own.zone), env.window), at);
      for (const channel of own.channels) {
        touches.push({
          dedupeKey: touchDedupeKey(policy.id, o.step, o.cycle, subjectKey, own, channel),
          policyId: policy.id,
          stepId: o.step.id,
          cycle: o.cycle,
          subjectKind: subject.kind,
          subjectId: subject.id,
          accountId: subject.accountId,
          audience: own.audience,
          recipient: own.id,
          channel,
          template: o.step.template,
          dueAt,
          scheduledAt: at,
          stepIndex: o.stepIndex,
        });
      }
    }
  }
  return { touches, nextPlanAt };
}
