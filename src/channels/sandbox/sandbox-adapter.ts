import type { AddressKind } from '../../domain/types.ts';
import type { ChannelAdapter } from '../channel.ts';
import { invalidOption, optionalString, rejectUnknownOptions } from '../channel-options.ts';
import { localSender } from '../local-sender.ts';

export interface SandboxConfig {
  channel: string;
  /** The contact address it pretends to deliver to, so planning behaves as with the real channel. */
  address: AddressKind;
}

const ADDRESS_KINDS: readonly AddressKind[] = ['email', 'phone', 'whatsapp', 'telegram'];

/** Records messages instead of sending them: the demo default, and a dry run for a new policy. */
export const sandboxAdapter: ChannelAdapter<SandboxConfig> = {
  provider: 'sandbox',
  parseConfig(options, channel) {
    rejectUnknownOptions(options, ['address'], 'sandbox');
    const address = optionalString(options, 'address') ?? 'email';
    if (!isAddressKind(address)) {
      throw invalidOption('address', `address must be one of ${ADDRESS_KINDS.join(', ')}`);
    }
    return { channel, address };
  },
  addressKind: (config) => config.address,
  open: (config, deps) => localSender('sandbox', config.channel, deps),
};

function isAddressKind(value: string): value is AddressKind {
  return (ADDRESS_KINDS as readonly string[]).includes(value);
}
