import type { Command } from 'commander';
import { runTick } from '../../engine/run-tick.ts';
import type { CliEnv } from '../cli-env.ts';
import { parseInstant } from '../parse-instant.ts';

export function tickCommand(program: Command, cli: CliEnv): void {
  program
    .command('tick')
    .description('plan and dispatch everything due at one instant')
    .option('--now <instant>', 'the instant to tick at (ISO 8601); default: the current time')
    .option('--json', 'print the counts as JSON')
    .action(async (options: { now?: string; json?: boolean }) => {
      await cli.withEngine(async (engine) => {
        const now = options.now
          ? parseInstant(options.now, engine.ctx.config.timezone, '--now')
          : engine.ctx.clock();
        // --now sets the time for the whole tick, however long it runs.
        const ctx = options.now ? { ...engine.ctx, clock: () => now } : engine.ctx;
        const counts = await runTick(ctx, { now });
        const summary = {
          planned: counts.planned,
          sent: counts.sent,
          deferred: counts.deferred,
          skipped: counts.skipped,
          cancelled: counts.cancelled,
          failed: counts.failed,
        };
        if (options.json) cli.out(JSON.stringify(summary));
        else
          cli.out(
            Object.entries(summary)
              .map(([k, v]) => `${k}: ${v}`)
              .join('  '),
          );
      });
    });
}
