import type { ChannelConfig } from '../domain/config.ts';
import { DulyError } from '../domain/errors.ts';
import type { AddressKind } from '../domain/types.ts';
import type { ChannelAdapter, ChannelDeps, ChannelSender } from './channel.ts';
import { channelAdapters, isProviderId, PROVIDER_IDS, type ProviderId } from './channel-adapters.ts';

export interface OpenChannel {
  sender: ChannelSender;
  addressKind: AddressKind | null;
  provider: ProviderId;
}

function adapterFor(provider: string): ChannelAdapter<unknown> {
  if (!isProviderId(provider)) {
    throw new DulyError(
      'invalid_config',
      `unknown provider "${provider}"; known providers: ${PROVIDER_IDS.join(', ')}`,
      { field: 'provider' },
    );
  }
  return channelAdapters[provider] as ChannelAdapter<unknown>;
}

/**
 * Checks a channel's provider and options as `duly.yaml` gives them; throws DulyError('invalid_config')
 * naming the field (`provider`, or an option such as `url`). Returns the parsed config.
 */
export function validateChannelOptions(
  provider: string,
  options: Record<string, unknown>,
  name: string,
): unknown {
  return adapterFor(provider).parseConfig(options, name);
}

/** Parses every channel first, then opens them, so a config error leaves no connection behind. */
export function openChannels(
  configs: Record<string, ChannelConfig>,
  deps: ChannelDeps,
): Map<string, OpenChannel> {
  const parsed = Object.entries(configs).map(([name, channel]) => {
    const adapter = adapterFor(channel.provider);
    return {
      name,
      adapter,
      provider: channel.provider as ProviderId,
      config: adapter.parseConfig(channel.options, name),
    };
  });
  const open = new Map<string, OpenChannel>();
  for (const { name, adapter, provider, config } of parsed) {
    open.set(name, {
      sender: adapter.open(config, deps),
      addressKind: adapter.addressKind(config),
      provider,
    });
  }
  return open;
}
