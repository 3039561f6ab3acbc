import type { AddressKind, Instant } from '../domain/types.ts';

/** A message ready to hand to a provider: already rendered for one recipient. */
export interface RenderedMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string | null;
  /** Extra headers for providers that have them (e.g. `List-Unsubscribe` for email). */
  headers: Record<string, string>;
  /** Stable per touch group: providers that support idempotency keys get it, so a retry is not a second message. */
  idempotencyKey: string;
  /** Files handed over with the message, for providers that carry them (email). */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  /** Not sent to the provider as content; for sinks and webhooks that carry structure. */
  metadata: {
    tenantId: string;
    accountId: string;
    touchIds: string[];
    /** What the message is about (`invoice`, `payment`, `contract` …) and which ones. */
    subjectKind: string;
    subjectIds: string[];
    invoiceNumbers: string[];
    template: string;
  };
}

/**
 * What the dispatcher must decide on, as data: `retry` may be tried again later (429, 5xx, timeout);
 * `failed` never will (validation error, unknown recipient).
 */
export type SendResult =
  | { kind: 'sent'; providerMessageId: string }
  | { kind: 'retry'; reason: string; afterMs?: number }
  | { kind: 'failed'; reason: string; field?: string };

export interface SendContext {
  now: Instant;
  /** Aborted when the send timeout passes or the process drains. */
  signal: AbortSignal;
}

/** Where channels that deliver inside Duly (in-app, sandbox) put their messages. */
export interface LocalMessageSink {
  save(kind: 'in_app' | 'sandbox', channel: string, message: RenderedMessage, at: Instant): Promise<string>;
}

export interface ChannelDeps {
  sink: LocalMessageSink;
}

/** An open connection to a provider for one configured channel. */
export interface ChannelSender {
  send(message: RenderedMessage, ctx: SendContext): Promise<SendResult>;
  close(): Promise<void>;
}

/** The port every notification provider implements (one folder per provider under src/channels/). */
export interface ChannelAdapter<Config> {
  readonly provider: string;
  /** Schema-checks the options of `channels.<name>` in duly.yaml; throws DulyError('invalid_config') naming the field. */
  parseConfig(options: Record<string, unknown>, channelName: string): Config;
  /** Which contact address the channel delivers to; null when it has one fixed destination (a webhook URL). */
  addressKind(config: Config): AddressKind | null;
  open(config: Config, deps: ChannelDeps): ChannelSender;
}
