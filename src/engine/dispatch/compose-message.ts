import type { RenderedMessage } from '../../channels/channel.ts';
import { epochDayOf } from '../../domain/calendar-date.ts';
import type { SendTarget } from '../../domain/send-guard.ts';
import type { Instant, InvoiceFacts, Touch } from '../../domain/types.ts';
import { zoneClock } from '../../domain/zone-clock.ts';
import type { Renderer } from '../../templates/renderer.ts';
import { unsubscribeToken, unsubscribeUrl } from '../links.ts';

/** Touches that go out as one message: same account, recipient, channel and send time. */
export interface TouchGroup {
  key: string;
  touches: Touch[];
  target: SendTarget;
}

export interface ComposeEnv {
  renderer: Renderer;
  tenantId: string;
  publicUrl: string;
  companyName: string;
  linkSecret: string;
}

/**
 * Renders one message for a group: a single invoice, or a statement of every invoice in the group
 * with the firmest step's template (the latest step in the policy wins).
 */
export function composeMessage(
  group: TouchGroup,
  factsByInvoice: Map<string, InvoiceFacts>,
  now: Instant,
  env: ComposeEnv,
): RenderedMessage {
  const touches = group.touches;
  const firmest = touches.reduce((a, b) => (b.stepIndex > a.stepIndex ? b : a));
  // One line per invoice, even when two of its steps fell due together.
  const invoiceIds = [...new Set(touches.map((t) => t.invoiceId))];
  const facts = invoiceIds.map((id) => factsByInvoice.get(id)).filter((f): f is InvoiceFacts => !!f);
  const today = zoneClock(group.target.zone).localDay(now);
  const invoices = facts
    .map(({ invoice }) => ({
      number: invoice.number,
      amount: invoice.amount,
      balance: invoice.balance,
      currency: invoice.currency,
      issuedOn: invoice.issuedOn,
      dueOn: invoice.dueOn,
      daysOverdue: today - epochDayOf(invoice.dueOn),
    }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number.localeCompare(b.number));
  const account = facts[0]?.account;
  const unsubscribe =
    firmest.audience === 'client'
      ? unsubscribeUrl(
          env.publicUrl,
          unsubscribeToken(env.linkSecret, env.tenantId, firmest.recipient, firmest.channel),
        )
      : `${env.publicUrl.replace(/\/$/, '')}/settings/notifications`;
  const content = env.renderer.render({
    template: firmest.template,
    locale: group.target.locale,
    timezone: group.target.zone,
    recipientName: group.target.name,
    accountName: account?.name ?? firmest.accountId,
    companyName: env.companyName,
    invoices,
    unsubscribeUrl: unsubscribe,
    payUrl: null,
    now,
  });
  const ids = touches.map((t) => t.id).sort();
  return {
    to: { name: group.target.name, address: group.target.address },
    subject: content.subject,
    text: content.text,
    html: content.html,
    headers:
      firmest.audience === 'client'
        ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    idempotencyKey: `duly-${env.tenantId}-${ids.join('-').slice(0, 120)}`,
    metadata: {
      tenantId: env.tenantId,
      accountId: firmest.accountId,
      touchIds: ids,
      invoiceNumbers: invoices.map((i) => i.number),
      template: firmest.template,
    },
  };
}
