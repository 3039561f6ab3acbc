import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { startScheduler } from '../../engine/scheduler.ts';
import { createServer } from '../../server/create-server.ts';
import { createMetrics } from '../../server/metrics.ts';
import type { CliEnv } from '../cli-env.ts';
import type { Engine } from '../open-engine.ts';

export interface ServeOptions {
  host: string;
  port: string;
  tickSeconds: string;
}

/** Runs the HTTP server and the scheduler until SIGTERM or SIGINT, then drains in-flight sends. */
export async function serve(engine: Engine, options: ServeOptions, cli: CliEnv): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DulyError('invalid_input', 'must be a port number from 0 to 65535', { field: '--port' });
  }
  const tickSeconds = Number(options.tickSeconds);
  if (!(tickSeconds >= 1))
    throw new DulyError('invalid_input', 'must be 1 or more seconds', { field: '--tick-seconds' });
  const { ctx } = engine;
  const metrics = createMetrics();
  const scheduler = startScheduler(ctx, { intervalMs: tickSeconds * 1000, onTick: metrics.recordTick });
  const app = createServer({
    ctx,
    metrics,
    apiKey: process.env.DULY_API_KEY ?? null,
    onEventAccepted: () => void scheduler.tickNow(),
  });
  try {
    const address = await app.listen({ host: options.host, port });
    cli.err(`duly listening on ${address} (config: ${engine.configPath})`);
  } catch (error) {
    await scheduler.stop();
    throw new DulyError(
      'unavailable',
      `cannot listen on ${options.host}:${port}: ${(error as Error).message}`,
      {
        field: '--port',
      },
    );
  }
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      cli.err(`${signal}: finishing in-flight sends…`);
      resolve();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  await app.close();
  await scheduler.stop();
  cli.err('stopped');
}

export function serveCommand(program: Command, cli: CliEnv): void {
  program
    .command('serve')
    .description('run the HTTP API, the scheduler and the dispatcher')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--tick-seconds <s>', 'seconds between scheduler ticks', '60')
    .action(async (options: ServeOptions) => {
      await cli.withEngine((engine) => serve(engine, options, cli));
    });
}
