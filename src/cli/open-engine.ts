import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { validateChannelOptions } from '../channels/index.ts';
import { DEFAULT_CONFIG_PATH, findConfigPath, loadConfigFile } from '../config/load-config.ts';
import type { Instant } from '../domain/types.ts';
import { recordConfigVersion } from '../engine/config-versions.ts';
import { createEngineCtx, type EngineCtx } from '../engine/runtime.ts';
import { DEFAULT_DATABASE_URL, openStore, redactUrl } from '../store/connect.ts';
import { migrateToLatest } from '../store/migrate.ts';

export interface OpenEngineOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  configPath?: string;
  clock: () => Instant;
  actor: string;
  logLevel?: string;
}

export interface Engine {
  ctx: EngineCtx;
  configPath: string;
  close(): Promise<void>;
}

/** Keys whose values never reach a log line. */
const REDACT = [
  '*.password',
  '*.token',
  '*.secret',
  '*.auth_token',
  '*.authorization',
  '*.email',
  '*.phone',
  'req.headers.authorization',
];

export function createLogger(env: Record<string, string | undefined>, level?: string): Logger {
  return pino(
    { level: env.DULY_LOG_LEVEL ?? level ?? 'info', redact: { paths: REDACT, censor: '***' } },
    pino.destination(2),
  );
}

/** Config, store (migrated), channels and templates: everything a command or the server runs with. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const { env } = options;
  const configPath = findConfigPath(options.cwd, options.configPath, env) ?? DEFAULT_CONFIG_PATH;
  const config = loadConfigFile(configPath, { env, validateChannel: validateChannelOptions });
  const logger = createLogger(env, options.logLevel);
  const databaseUrl = env.DULY_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store, options.clock());
  } catch (error) {
    await store.close();
    throw error;
  }
  let linkSecret = env.DULY_SECRET;
  if (!linkSecret) {
    // Good enough for the demo; a real deployment sets DULY_SECRET so links survive a change of database URL.
    linkSecret = createHash('sha256').update(`duly-dev:${databaseUrl}`).digest('hex');
    logger.debug(
      'DULY_SECRET is not set: unsubscribe links are signed with a key derived from the database URL',
    );
  }
  const { ctx, close } = createEngineCtx(store, config, {
    clock: options.clock,
    logger,
    actor: options.actor,
    runtime: {
      linkSecret,
      ...(env.DULY_TEMPLATES ? { templatesDir: env.DULY_TEMPLATES } : {}),
      ...(env.DULY_COMPANY_NAME ? { companyName: env.DULY_COMPANY_NAME } : {}),
    },
  });
  await recordConfigVersion(ctx, { source: configPath, text: readFileSync(configPath, 'utf8') });
  logger.debug({ database: redactUrl(databaseUrl), config: configPath }, 'engine open');
  return { ctx, configPath, close };
}
