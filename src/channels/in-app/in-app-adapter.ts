import type { ChannelAdapter } from '../channel.ts';
import { rejectUnknownOptions } from '../channel-options.ts';
import { localSender } from '../local-sender.ts';

export interface InAppConfig {
  channel: string;
}

/** Messages shown inside Duly (the client portal and the dashboard), kept in the store. */
export const inAppAdapter: ChannelAdapter<InAppConfig> = {
  provider: 'in_app',
  parseConfig(options, channel) {
    rejectUnknownOptions(options, [], 'in_app');
    return { channel };
  },
  addressKind: () => null,
  open: (config, deps) => localSender('in_app', config.channel, deps),
};
