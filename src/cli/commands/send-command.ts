import type { Command } from 'commander';
import { sendStepNow } from '../../engine/send-step-now.ts';
import type { CliEnv } from '../cli-env.ts';

export function sendCommand(program: Command, cli: CliEnv): void {
  program
    .command('send')
    .description('send one step of an invoice now, outside the schedule (opt-outs and holds still apply)')
    .argument('<invoice>', 'the invoice number')
    .requiredOption('--step <id>', 'the policy step to send, e.g. overdue-1')
    .option('--json', 'print the result as JSON')
    .action(async (invoiceNumber: string, options: { step: string; json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const { requested, counts } = await sendStepNow({
          ctx,
          input: { invoiceNumber, stepId: options.step },
        });
        if (options.json) return cli.out(JSON.stringify({ requested, ...counts }));
        cli.out(
          `${invoiceNumber} ${options.step}: ${requested} message(s) requested; sent ${counts.sent}, deferred ${counts.deferred}, ` +
            `skipped ${counts.skipped}, cancelled ${counts.cancelled}, failed ${counts.failed} (see \`duly outbox\` for reasons)`,
        );
      });
    });
}
