import type { ChannelAdapter } from './channel.ts';
import { inAppAdapter } from './in-app/in-app-adapter.ts';
import { sandboxAdapter } from './sandbox/sandbox-adapter.ts';
import { smtpAdapter } from './smtp/smtp-adapter.ts';
import { webhookAdapter } from './webhook/webhook-adapter.ts';

export type ProviderId = 'smtp' | 'webhook' | 'in_app' | 'sandbox';

/** Every provider Duly can send through. A ProviderId without an adapter here fails to compile. */
export const channelAdapters = {
  smtp: smtpAdapter,
  webhook: webhookAdapter,
  in_app: inAppAdapter,
  sandbox: sandboxAdapter,
} satisfies Record<ProviderId, ChannelAdapter<any>>;

export const PROVIDER_IDS = Object.keys(channelAdapters) as ProviderId[];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && Object.hasOwn(channelAdapters, value);
}
