import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { setAccountPolicy } from '../../engine/holds/set-account-policy.ts';
import type { CliEnv } from '../cli-env.ts';

export function accountCommand(program: Command, cli: CliEnv): void {
  const account = program.command('account').description('act on one account');
  account
    .command('policy')
    .description('make an account follow one invoice policy (or, with --clear, the usual choice again)')
    .argument('<account>', 'the account id')
    .argument('[policy]', 'the id of an invoice policy in the config')
    .option('--clear', 'drop the override')
    .action(async (accountId: string, policyId: string | undefined, options: { clear?: boolean }) => {
      if ((policyId === undefined) === !options.clear) {
        throw new DulyError('invalid_input', 'give a policy id, or --clear to drop the override', {
          field: 'policy',
        });
      }
      await cli.withEngine(async ({ ctx }) => {
        const result = await setAccountPolicy({ ctx, input: { accountId, policyId: policyId ?? null } });
        cli.out(
          result.policyId
            ? `${result.accountId}: follows ${result.policyId}; ${result.openInvoices} open invoice(s) replanned`
            : `${result.accountId}: policy override cleared; ${result.openInvoices} open invoice(s) replanned`,
        );
      });
    });
}
