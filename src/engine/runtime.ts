import type { Logger } from 'pino';
import type { ChannelSender } from '../channels/channel.ts';
import { openChannels } from '../channels/index.ts';
import type { DulyConfig } from '../domain/config.ts';
import type { PlanEnv } from '../domain/planner.ts';
import type { AddressKind, Instant } from '../domain/types.ts';
import type { Store } from '../store/connect.ts';
import { DEFAULT_TENANT } from '../store/migrate.ts';
import { createRenderer, type Renderer } from '../templates/renderer.ts';
import type { Ctx } from './context.ts';
import { createLocalMessageBuffer, type LocalMessageBuffer } from './local-message-sink.ts';
import { planEnvFor } from './plan-env.ts';

export interface OpenChannel {
  sender: ChannelSender;
  addressKind: AddressKind | null;
  provider: string;
}

/** Providers that deliver into Duly's own store, in the same transaction as the touch's outcome. */
const LOCAL_PROVIDERS = new Set(['sandbox', 'in_app']);

export function deliversLocally(channel: OpenChannel | undefined): boolean {
  return channel !== undefined && LOCAL_PROVIDERS.has(channel.provider);
}

/** What the engine builds once from the config: planning rules, open channels, templates. */
export interface Runtime {
  planEnv: PlanEnv;
  channels: Map<string, OpenChannel>;
  /** Where in-app and sandbox messages wait for the dispatcher's next commit. */
  localMessages: LocalMessageBuffer;
  renderer: Renderer;
  /** Signs links in messages (unsubscribe); from DULY_SECRET. */
  linkSecret: string;
  companyName: string;
  close(): Promise<void>;
}

/** A use-case context that can plan and send. */
export type EngineCtx = Ctx & { runtime: Runtime };

export function createRuntime(
  config: DulyConfig,
  options: { templatesDir?: string; linkSecret: string; companyName?: string },
): Runtime {
  const localMessages = createLocalMessageBuffer();
  const channels = openChannels(config.channels, { sink: localMessages }) as Map<string, OpenChannel>;
  return {
    planEnv: planEnvFor(config),
    channels,
    localMessages,
    renderer: createRenderer(options.templatesDir ? { overrideDir: options.templatesDir } : {}),
    linkSecret: options.linkSecret,
    companyName: options.companyName ?? 'Billing',
    async close() {
      await Promise.all([...channels.values()].map((c) => c.sender.close()));
    },
  };
}

/** A use-case context over an open store, with its runtime; `close` releases both. */
export function createEngineCtx(
  store: Store,
  config: DulyConfig,
  options: {
    clock: () => Instant;
    logger: Logger;
    actor: string;
    runtime: { linkSecret: string; templatesDir?: string; companyName?: string };
  },
): { ctx: EngineCtx; close(): Promise<void> } {
  const runtime = createRuntime(config, options.runtime);
  const ctx: EngineCtx = {
    store,
    tenantId: DEFAULT_TENANT,
    config,
    clock: options.clock,
    logger: options.logger,
    actor: options.actor,
    runtime,
  };
  return {
    ctx,
    async close() {
      await runtime.close();
      await store.close();
    },
  };
}
