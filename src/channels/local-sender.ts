import type { ChannelDeps, ChannelSender } from './channel.ts';

/** A sender that keeps messages inside Duly (in-app, sandbox) through the store's sink. */
export function localSender(kind: 'in_app' | 'sandbox', channel: string, deps: ChannelDeps): ChannelSender {
  return {
    async send(message, ctx) {
      try {
        return { kind: 'sent', providerMessageId: await deps.sink.save(kind, channel, message, ctx.now) };
      } catch (error) {
        // The store's own error may quote the row (names, addresses): only its kind goes in the reason.
        const name = error instanceof Error ? error.name : 'unknown error';
        return { kind: 'retry', reason: `could not store the message (${name})` };
      }
    },
    close: async () => {},
  };
}
