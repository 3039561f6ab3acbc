import type { Command } from 'commander';
import { decideContract } from '../../engine/contracts/decide-contract.ts';
import { importContracts } from '../../engine/contracts/import-contracts.ts';
import { listContracts } from '../../engine/contracts/list-contracts.ts';
import type { CliEnv } from '../cli-env.ts';

/** `duly contracts [--json]`, `duly contracts import FILE`, `duly contract decide ID --decision …`. */
export function contractsCommand(program: Command, cli: CliEnv): void {
  const contracts = program
    .command('contracts')
    .description('list contracts and subscriptions, or import them (duly contracts import FILE)')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const list = await listContracts({ ctx, input: {} });
        if (options.json) return cli.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return cli.out('no contracts yet; add them with duly contracts import FILE');
        for (const c of list) {
          const dates = [
            c.ends_on && `ends ${c.ends_on}`,
            c.auto_renew && c.renews_on && `renews ${c.renews_on}`,
            c.next_invoice_on && `next invoice ${c.next_invoice_on}`,
            c.decision && `decision: ${c.decision}`,
          ].filter(Boolean);
          const amount = c.amount ? ` ${c.amount} ${c.currency}` : '';
          cli.out(`${c.id}  ${c.account_id}  ${c.kind}  ${c.name}${amount}  ${dates.join(', ')}`);
        }
      });
    });
  contracts
    .command('import')
    .description('create or update contracts from a CSV or JSON file, all or nothing')
    .argument('<file>', 'a .csv (header line of field names) or .json (array of objects) file')
    .action(async (file: string) => {
      await cli.withEngine(async ({ ctx }) => {
        const r = await importContracts({ ctx, input: { file } });
        cli.out(
          `contracts: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged; ${r.touchesCancelled} notices cancelled`,
        );
      });
    });
  program
    .command('contract')
    .description('act on one contract')
    .command('decide')
    .description(
      'record what happens at the end: renew, renegotiate or end (stops end-of-contract reminders)',
    )
    .argument('<id>', 'the contract id')
    .requiredOption('--decision <decision>', 'renew, renegotiate or end')
    .option('--note <text>', 'why, for the team and the audit trail')
    .action(async (id: string, options: { decision: string; note?: string }) => {
      await cli.withEngine(async ({ ctx }) => {
        const input = { id, decision: options.decision, ...(options.note ? { note: options.note } : {}) };
        const r = await decideContract({ ctx, input });
        cli.out(`${id}: decision recorded: ${r.decision}; ${r.touchesCancelled} pending notices cancelled`);
      });
    });
}
