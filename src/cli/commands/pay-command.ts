import type { Command } from 'commander';
import { recordPayment } from '../../engine/record-payment.ts';
import type { CliEnv } from '../cli-env.ts';
import { parseInstant } from '../parse-instant.ts';

export function payCommand(program: Command, cli: CliEnv): void {
  program
    .command('pay')
    .description('record a payment against an invoice (the whole balance by default)')
    .argument('<invoice>', 'the invoice number')
    .option('--amount <amount>', 'amount in major units, e.g. 120.50')
    .option('--at <instant>', 'when it was paid (ISO 8601); default: now')
    .option('--json', 'print the result as JSON')
    .action(async (invoiceNumber: string, options: { amount?: string; at?: string; json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const paidAt = options.at ? parseInstant(options.at, ctx.config.timezone, '--at') : undefined;
        const result = await recordPayment({ ctx, input: { invoiceNumber, amount: options.amount, paidAt } });
        if (options.json) return cli.out(JSON.stringify(result));
        cli.out(
          `${result.invoiceNumber}: paid ${result.paid} ${result.currency}, balance ${result.balance} ${result.currency} (${result.status})` +
            (result.cancelledTouches ? `; ${result.cancelledTouches} pending reminder(s) cancelled` : ''),
        );
      });
    });
}
