import { sql } from 'kysely';
import type { Instant } from '../domain/types.ts';
import { PENDING_TOUCH_STATES } from '../domain/types.ts';
import type { EngineCtx } from './runtime.ts';
import type { TimelineEntry } from './simulate-timeline.ts';

/**
 * What the outbox already holds for the window: touches planned ahead, deferred or waiting for a retry
 * (a failed payment's client notice, a deferred reminder). The planners' simulators skip these, so the
 * timeline shows each message once.
 */
export async function simulatePending(ctx: EngineCtx, from: Instant, to: Instant): Promise<TimelineEntry[]> {
  const triggers = new Map(ctx.config.policies.map((p) => [p.id, p.trigger as string]));
  const pending = sql.join(PENDING_TOUCH_STATES.map((s) => sql.lit(s)));
  const { rows } = await sql<{
    next_attempt_at: number;
    scheduled_at: number;
    subject_kind: string;
    subject_id: string;
    policy_id: string;
    step_id: string;
    channel: string;
    audience: string;
    recipient: string;
    account_name: string | null;
    invoice_number: string | null;
    contact_name: string | null;
  }>`select t.next_attempt_at, t.scheduled_at, t.subject_kind, t.subject_id, t.policy_id, t.step_id,
      t.channel, t.audience, t.recipient, a.name as account_name, i.number as invoice_number,
      c.name as contact_name
    from touches t
    left join accounts a on a.tenant_id = t.tenant_id and a.id = t.account_id
    left join invoices i on t.subject_kind = 'invoice' and i.tenant_id = t.tenant_id and i.id = t.subject_id
    left join contacts c on t.audience = 'client' and c.tenant_id = t.tenant_id and c.id = t.recipient
    where t.tenant_id = ${ctx.tenantId} and t.state in (${pending})
      and t.next_attempt_at >= ${from} and t.next_attempt_at <= ${to}`.execute(ctx.store.db);
  return rows.map((r) => ({
    at: Number(r.next_attempt_at),
    scheduledAt: Number(r.scheduled_at),
    trigger: triggers.get(r.policy_id) ?? r.subject_kind,
    subject: r.invoice_number ?? r.subject_id,
    account: r.account_name ?? '',
    policy: r.policy_id,
    step: r.step_id,
    channel: r.channel,
    audience: r.audience,
    recipient: r.contact_name ?? r.recipient,
  }));
}
