import type { Command } from 'commander';
import { pauseReminders, resumeReminders } from '../../engine/holds.ts';
import type { CliEnv } from '../cli-env.ts';
import { parseInstant } from '../parse-instant.ts';

export function holdCommands(program: Command, cli: CliEnv): void {
  program
    .command('pause')
    .description("hold an account's (or, with --invoice, one invoice's) reminders until a date")
    .argument('<target>', 'an account id, or an invoice number with --invoice')
    .requiredOption('--until <date>', 'when reminders resume (a date or ISO 8601 instant)')
    .requiredOption('--reason <text>', 'why, for the team and the audit trail')
    .option('--invoice', 'the target is an invoice number')
    .action(async (target: string, options: { until: string; reason: string; invoice?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const until = parseInstant(options.until, ctx.config.timezone, '--until');
        await pauseReminders({
          ctx,
          input: { target, invoice: options.invoice ?? false, until, reason: options.reason },
        });
        cli.out(`${target}: reminders held until ${new Date(until).toISOString()}`);
      });
    });
  program
    .command('resume')
    .description('lift a hold at once')
    .argument('<target>', 'an account id, or an invoice number with --invoice')
    .option('--invoice', 'the target is an invoice number')
    .action(async (target: string, options: { invoice?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        await resumeReminders({ ctx, input: { target, invoice: options.invoice ?? false } });
        cli.out(`${target}: reminders resume on schedule`);
      });
    });
}
