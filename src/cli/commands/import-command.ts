import type { Command } from 'commander';
import { importInvoices } from '../../engine/import/import-rows.ts';
import { createProgressBar } from '../../engine/import/progress-bar.ts';
import type { CliEnv } from '../cli-env.ts';

export function importCommand(program: Command, cli: CliEnv): void {
  program
    .command('import')
    .description('import accounts, contacts and invoices from a CSV or JSON file (all or nothing)')
    .argument('<file>', 'a .csv or .json file; columns are listed in the README')
    .option('--json', 'print the counts as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const bar = createProgressBar('importing');
        const result = await importInvoices({ ctx, input: { file, onProgress: bar.update } }).finally(
          bar.finish,
        );
        if (options.json) return cli.out(JSON.stringify(result));
        const { accounts, contacts, invoices } = result;
        cli.out(
          `invoices: ${invoices.created} created, ${invoices.updated} updated, ${invoices.unchanged} unchanged; ` +
            `accounts: ${accounts.created} created, ${accounts.updated} updated; ` +
            `contacts: ${contacts.created} created, ${contacts.updated} updated`,
        );
      });
    });
}
