import type { RenderedMessage } from '../../channels/channel.ts';
import type { DulyConfig } from '../../domain/config.ts';
import type { SendTarget } from '../../domain/send-guard.ts';
import type { Instant, Touch } from '../../domain/types.ts';
import type { Renderer } from '../../templates/renderer.ts';
import { unsubscribeToken, unsubscribeUrl } from '../links.ts';
import { subjectHandler } from '../subjects/index.ts';
import type { SubjectFactsMap } from '../subjects/subject-facts.ts';

/** Touches that go out as one message: same subject kind, account, recipient, channel and send time. */
export interface TouchGroup {
  key: string;
  touches: Touch[];
  target: SendTarget;
}

export interface ComposeEnv {
  config: DulyConfig;
  renderer: Renderer;
  tenantId: string;
  publicUrl: string;
  companyName: string;
  linkSecret: string;
}

/**
 * Renders one message for a group: a single subject, or a statement of several invoices with the
 * firmest step's template (the latest step in the policy wins). What the message says about its
 * subjects comes from their kind's handler.
 */
export function composeMessage(
  group: TouchGroup,
  facts: SubjectFactsMap,
  now: Instant,
  env: ComposeEnv,
): RenderedMessage {
  const touches = group.touches;
  const firmest = touches.reduce((a, b) => (b.stepIndex > a.stepIndex ? b : a));
  const handler = subjectHandler(firmest.subjectKind);
  const content = handler.content(touches, facts.get(firmest.subjectKind) ?? new Map(), group.target, {
    config: env.config,
    publicUrl: env.publicUrl,
    linkSecret: env.linkSecret,
    tenantId: env.tenantId,
    now,
  });
  const unsubscribe =
    firmest.audience === 'client'
      ? unsubscribeUrl(
          env.publicUrl,
          unsubscribeToken(env.linkSecret, env.tenantId, firmest.recipient, firmest.channel),
        )
      : `${env.publicUrl.replace(/\/$/, '')}/settings/notifications`;
  const rendered = env.renderer.render({
    template: firmest.template,
    locale: group.target.locale,
    timezone: group.target.zone,
    recipientName: group.target.name,
    accountName: content.accountName,
    companyName: env.companyName,
    invoices: content.invoices,
    details: content.details,
    unsubscribeUrl: unsubscribe,
    payUrl: content.payUrl,
    now,
  });
  const ids = touches.map((t) => t.id).sort();
  return {
    to: { name: group.target.name, address: group.target.address },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers:
      firmest.audience === 'client'
        ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    idempotencyKey: `duly-${env.tenantId}-${ids.join('-').slice(0, 120)}`,
    ...(content.attachments.length > 0 ? { attachments: content.attachments } : {}),
    metadata: {
      tenantId: env.tenantId,
      accountId: firmest.accountId,
      touchIds: ids,
      subjectKind: firmest.subjectKind,
      subjectIds: [...new Set(touches.map((t) => t.subjectId))],
      invoiceNumbers: content.invoices.map((i) => i.number),
      template: firmest.template,
    },
  };
}
