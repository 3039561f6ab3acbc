import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { simulateTimeline } from '../../engine/simulate-timeline.ts';
import type { CliEnv } from '../cli-env.ts';
import { parseInstant } from '../parse-instant.ts';

export function simulateCommand(program: Command, cli: CliEnv): void {
  program
    .command('simulate')
    .description('show the messages that would go out between two dates; writes and sends nothing')
    .requiredOption('--from <date>', 'start (a date or ISO 8601 instant)')
    .requiredOption('--to <date>', 'end (a date is taken as the end of that day)')
    .option('--json', 'one JSON object per line')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const zone = ctx.config.timezone;
        const from = parseInstant(options.from, zone, '--from');
        const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(options.to.trim());
        const to = parseInstant(options.to, zone, '--to') + (dateOnly ? 86_400_000 - 1 : 0);
        const entries = await simulateTimeline({ ctx, input: { from, to } });
        for (const e of entries) {
          if (options.json) {
            cli.out(
              JSON.stringify({
                ...e,
                at: new Date(e.at).toISOString(),
                scheduledAt: new Date(e.scheduledAt).toISOString(),
              }),
            );
            continue;
          }
          const when = DateTime.fromMillis(e.at, { zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ');
          cli.out(
            [
              when,
              e.trigger.padEnd(14),
              e.subject,
              e.step.padEnd(10),
              e.channel.padEnd(6),
              `${e.audience}: ${e.recipient}`,
            ].join('  '),
          );
        }
        if (!options.json) cli.err(`${entries.length} message(s) between ${options.from} and ${options.to}`);
      });
    });
}
