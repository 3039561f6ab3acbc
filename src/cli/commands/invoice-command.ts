import type { Command } from 'commander';
import { setInvoiceOptOut } from '../../engine/holds/set-invoice-opt-out.ts';
import type { CliEnv } from '../cli-env.ts';

export function invoiceCommand(program: Command, cli: CliEnv): void {
  const invoice = program.command('invoice').description('act on one invoice');
  invoice
    .command('opt-out')
    .description("turn client reminders off for one invoice (the team's steps continue)")
    .argument('<number>', 'the invoice number')
    .option('--undo', 'turn client reminders back on')
    .action(async (invoiceNumber: string, options: { undo?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const result = await setInvoiceOptOut({ ctx, input: { invoiceNumber, optedOut: !options.undo } });
        cli.out(
          result.optedOut
            ? `${result.invoiceNumber}: client reminders off; ${result.cancelledTouches} pending reminder(s) cancelled`
            : `${result.invoiceNumber}: client reminders back on`,
        );
      });
    });
}
