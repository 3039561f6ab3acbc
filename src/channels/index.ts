export type {
  ChannelAdapter,
  ChannelDeps,
  ChannelSender,
  LocalMessageSink,
  RenderedMessage,
  SendContext,
  SendResult,
} from './channel.ts';
export { channelAdapters, isProviderId, PROVIDER_IDS, type ProviderId } from './channel-adapters.ts';
export { type OpenChannel, openChannels, validateChannelOptions } from './open-channels.ts';
export { Secret } from './secret.ts';
export { signWebhookBody, verifyWebhookSignature } from './webhook/webhook-signature.ts';
