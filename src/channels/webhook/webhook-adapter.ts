import type { ChannelAdapter, ChannelSender, RenderedMessage, SendContext, SendResult } from '../channel.ts';
import { retryAfterMs } from '../retry-after.ts';
import { parseWebhookConfig, type WebhookConfig } from './webhook-config.ts';
import { signWebhookBody } from './webhook-signature.ts';

export type { WebhookConfig } from './webhook-config.ts';

/** A ceiling of our own, so a dispatcher signal that never fires cannot hold a send forever. */
const MAX_WAIT_MS = 30_000;

/** Signed JSON POSTs to a URL the business controls (its own system, Zapier, n8n …). */
export const webhookAdapter: ChannelAdapter<WebhookConfig> = {
  provider: 'webhook',
  parseConfig: parseWebhookConfig,
  addressKind: () => null,
  open: (config): ChannelSender => ({
    send: (message, ctx) => postWebhook(config, message, ctx),
    close: async () => {},
  }),
};

/** The JSON body a webhook receives. */
export function webhookBody(message: RenderedMessage, ctx: SendContext): string {
  return JSON.stringify({
    id: message.idempotencyKey,
    type: 'duly.message',
    created_at: new Date(ctx.now).toISOString(),
    to: message.to,
    subject: message.subject,
    text: message.text,
    metadata: message.metadata,
  });
}

async function postWebhook(
  config: WebhookConfig,
  message: RenderedMessage,
  ctx: SendContext,
): Promise<SendResult> {
  const body = webhookBody(message, ctx);
  const timestamp = Math.floor(ctx.now / 1000);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) headers[name] = value.reveal();
  Object.assign(headers, {
    'Content-Type': 'application/json',
    'Idempotency-Key': message.idempotencyKey,
    'Duly-Timestamp': String(timestamp),
    'Duly-Signature': signWebhookBody(config.secret.reveal(), timestamp, body),
  });
  const ownTimeout = AbortSignal.timeout(MAX_WAIT_MS);
  const signal = AbortSignal.any([ctx.signal, ownTimeout]);
  let response: Response;
  let text: string;
  try {
    // Redirects are not followed: a signed body must not travel to an address nobody configured.
    response = await fetch(config.url.reveal(), {
      method: 'POST',
      headers,
      body,
      signal,
      redirect: 'manual',
    });
    text = await response.text();
  } catch (error) {
    if (ctx.signal.aborted)
      return { kind: 'retry', reason: 'timed out or cancelled before the webhook answered' };
    if (ownTimeout.aborted)
      return { kind: 'retry', reason: `the webhook did not answer within ${MAX_WAIT_MS / 1000} s` };
    return { kind: 'retry', reason: `could not reach the webhook (${networkCause(error)})` };
  }
  return webhookOutcome(response.status, text, response.headers.get('retry-after'), message, ctx);
}

function webhookOutcome(
  status: number,
  text: string,
  retryAfter: string | null,
  message: RenderedMessage,
  ctx: SendContext,
): SendResult {
  if (status >= 200 && status < 300) {
    return { kind: 'sent', providerMessageId: providerId(text) ?? message.idempotencyKey };
  }
  const reason = `webhook answered ${status}${excerpt(text)}`;
  if (status === 429 || status === 408 || status >= 500) {
    const afterMs = retryAfterMs(retryAfter, ctx.now);
    return afterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'failed', reason: `${reason} (a redirect); set url to the final address`, field: 'url' };
  }
  return { kind: 'failed', reason };
}

function providerId(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('id' in parsed)) return null;
    const id = parsed.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '';
  return `: ${line.length > 200 ? `${line.slice(0, 197)}...` : line}`;
}

function networkCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown error';
}
