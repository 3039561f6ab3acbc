import { channelAdapters, isProviderId } from '../channels/channel-adapters.ts';
import { createBusinessCalendar } from '../domain/business-calendar.ts';
import type { DulyConfig } from '../domain/config.ts';
import type { PlanEnv } from '../domain/planner.ts';
import type { AddressKinds } from '../domain/recipients.ts';
import { createSendWindow } from '../domain/send-window.ts';

const built = new WeakMap<DulyConfig, PlanEnv>();

/**
 * The planning rules of a config: its send window and each channel's address kind, built once per config.
 * The runtime plans with it, and so does code that plans inside an invoice change (a hook knows the
 * config, not the running engine).
 */
export function planEnvFor(config: DulyConfig): PlanEnv {
  let env = built.get(config);
  if (!env) {
    const addressKinds: AddressKinds = {};
    for (const [name, channel] of Object.entries(config.channels)) {
      if (!isProviderId(channel.provider)) continue;
      const adapter = channelAdapters[channel.provider] as (typeof channelAdapters)['sandbox'];
      addressKinds[name] = adapter.addressKind(adapter.parseConfig(channel.options, name) as never);
    }
    const window = createSendWindow(createBusinessCalendar(config), config.quietHours, config.sendTime);
    env = { config, addressKinds, window };
    built.set(config, env);
  }
  return env;
}
