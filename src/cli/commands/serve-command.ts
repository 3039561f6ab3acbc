import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { type Scheduler, startScheduler } from '../../engine/scheduler.ts';
import type { CliEnv } from '../cli-env.ts';
import type { Engine } from '../open-engine.ts';

export const ROLES = ['all', 'api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface ServeOptions {
  host: string;
  port: string;
  tickSeconds: string;
  role?: string;
}

function parseServeOptions(options: ServeOptions) {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DulyError('invalid_input', 'must be a port number from 0 to 65535', { field: '--port' });
  }
  const tickSeconds = Number(options.tickSeconds);
  if (!(tickSeconds >= 1)) {
    throw new DulyError('invalid_input', 'must be 1 or more seconds', { field: '--tick-seconds' });
  }
  const role = (options.role ?? 'all') as Role;
  if (!ROLES.includes(role)) {
    throw new DulyError('invalid_input', `unknown role "${options.role}"; use all, api or worker`, {
      field: '--role',
    });
  }
  return { port, tickSeconds, role };
}

/**
 * Runs until SIGTERM or SIGINT, then drains in-flight sends. `api` serves HTTP only; `worker` only
 * plans and sends (any number of workers can share one PostgreSQL); `all` does both.
 */
export async function serve(engine: Engine, options: ServeOptions, cli: CliEnv): Promise<void> {
  const { port, tickSeconds, role } = parseServeOptions(options);
  const { ctx } = engine;
  // Signals are handled from the start, so a stop during start-up still drains and exits cleanly.
  const stopRequested = new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      cli.err(`${signal}: finishing in-flight sends…`);
      resolve();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  // The HTTP server and metrics load here, not with the CLI: every other command, and a worker that
  // serves no HTTP, starts without them (a worker's boot time is how fast it comes back after a crash).
  const { createMetrics } = await import('../../server/metrics.ts');
  const metrics = createMetrics();
  let scheduler: Scheduler | null = null;
  const app =
    role === 'worker'
      ? null
      : (await import('../../server/create-server.ts')).createServer({
          ctx,
          metrics,
          apiKey: process.env.DULY_API_KEY ?? null,
          onEventAccepted: () => void scheduler?.tickNow(),
        });
  // The port first: a second `serve` on a taken port must fail before its scheduler sends anything.
  if (app) {
    try {
      const address = await app.listen({ host: options.host, port });
      cli.err(`duly listening on ${address} (role: ${role}, config: ${engine.configPath})`);
    } catch (error) {
      const reason = (error as Error).message;
      throw new DulyError('unavailable', `cannot listen on ${options.host}:${port}: ${reason}`, {
        field: '--port',
      });
    }
  } else {
    cli.err(`duly worker running (config: ${engine.configPath})`);
  }
  if (role !== 'api') {
    scheduler = startScheduler(ctx, { intervalMs: tickSeconds * 1000, onTick: metrics.recordTick });
  }
  await stopRequested;
  await app?.close();
  await scheduler?.stop();
  cli.err('stopped');
}

export function serveCommand(program: Command, cli: CliEnv): void {
  program
    .command('serve')
    .description('run the HTTP API, the scheduler and the dispatcher')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--tick-seconds <s>', 'seconds between scheduler ticks', '60')
    .option('--role <role>', 'all (default), api (HTTP only) or worker (plan and send only)', 'all')
    .action(async (options: ServeOptions) => {
      await cli.withEngine((engine) => serve(engine, options, cli));
    });
}
