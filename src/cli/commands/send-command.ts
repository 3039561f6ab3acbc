import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { sendStepNow } from '../../engine/send-step-now.ts';
import type { CliEnv } from '../cli-env.ts';

export function sendCommand(program: Command, cli: CliEnv): void {
  program
    .command('send')
    .description(
      'send one step now for an invoice, or for every open invoice of an account, outside the schedule (opt-outs and holds still apply)',
    )
    .argument('[invoice]', 'the invoice number')
    .option('--account <id>', 'send for every open invoice of this account instead (one statement)')
    .requiredOption('--step <id>', 'the policy step to send, e.g. overdue-1')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        invoiceNumber: string | undefined,
        options: { step: string; account?: string; json?: boolean },
      ) => {
        if ((invoiceNumber === undefined) === (options.account === undefined)) {
          throw new DulyError('invalid_input', 'name an invoice number or --account ID (one of the two)', {
            field: 'invoice',
          });
        }
        await cli.withEngine(async ({ ctx }) => {
          const { requested, counts } = await sendStepNow({
            ctx,
            input: invoiceNumber
              ? { invoiceNumber, stepId: options.step }
              : { accountId: options.account, stepId: options.step },
          });
          if (options.json) return cli.out(JSON.stringify({ requested, ...counts }));
          cli.out(
            `${invoiceNumber ?? `account ${options.account}`} ${options.step}: ${requested} message(s) requested; sent ${counts.sent}, deferred ${counts.deferred}, ` +
              `skipped ${counts.skipped}, cancelled ${counts.cancelled}, failed ${counts.failed} (see \`duly outbox\` for reasons)`,
          );
        });
      },
    );
}
