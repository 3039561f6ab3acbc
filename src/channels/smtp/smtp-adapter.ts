import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { ChannelAdapter, ChannelSender, RenderedMessage, SendContext, SendResult } from '../channel.ts';
import { parseSmtpConfig, type SmtpConfig } from './smtp-config.ts';
import { smtpFailureOutcome } from './smtp-outcome.ts';

export type { SmtpConfig } from './smtp-config.ts';

/** Email through any SMTP server, over one pool of connections per channel. */
export const smtpAdapter: ChannelAdapter<SmtpConfig> = {
  provider: 'smtp',
  parseConfig: parseSmtpConfig,
  addressKind: () => 'email',
  open: openSmtp,
};

function openSmtp(config: SmtpConfig): ChannelSender {
  const secrets = [config.password?.reveal() ?? ''];
  // nodemailer is loaded on the first send: every `duly` command opens the channels, few of them mail.
  let transport: Promise<Transporter> | null = null;
  const connect = () => {
    transport ??= transportFor(config);
    return transport;
  };

  async function send(message: RenderedMessage, ctx: SendContext): Promise<SendResult> {
    if (!message.to.address)
      return { kind: 'failed', reason: 'the recipient has no email address', field: 'to' };
    if (ctx.signal.aborted) return smtpFailureOutcome(ctx.signal.reason, ctx.signal, secrets);
    try {
      const info = await (await connect()).sendMail({
        from: config.from,
        replyTo: config.replyTo ?? undefined,
        to: { name: message.to.name, address: message.to.address },
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        headers: emailHeaders(message.headers),
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
        messageId: messageIdFor(message.idempotencyKey, config.messageIdDomain),
        signal: ctx.signal,
      });
      return { kind: 'sent', providerMessageId: info.messageId };
    } catch (error) {
      return smtpFailureOutcome(error, ctx.signal, secrets);
    }
  }

  return {
    send,
    close: async () => {
      if (transport) (await transport).close();
    },
  };
}

async function transportFor(config: SmtpConfig): Promise<Transporter> {
  const { createTransport } = await import('nodemailer');
  return createTransport({
    pool: true,
    maxConnections: 5,
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password?.reveal() ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

/** Headers nodemailer sets from its own fields; a message header must not override them. */
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'reply-to', 'date']);

/** The message's headers, with RFC 8058 one-click unsubscribe when the unsubscribe link is a web URL. */
export function emailHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let unsubscribe: string | null = null;
  let hasPost = false;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower)) continue;
    if (lower === 'list-unsubscribe') {
      unsubscribe = value.trim().startsWith('<') ? value.trim() : `<${value.trim()}>`;
      out['List-Unsubscribe'] = unsubscribe;
      continue;
    }
    if (lower === 'list-unsubscribe-post') hasPost = true;
    out[name] = value;
  }
  if (unsubscribe && !hasPost && /<https?:\/\//i.test(unsubscribe)) {
    out['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return out;
}

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** The same key always gives the same Message-ID, so a retried send is recognisable as one message. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local =
    idempotencyKey.length <= 64 && DOT_ATOM.test(idempotencyKey)
      ? idempotencyKey
      : createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${local}@${domain}>`;
}
