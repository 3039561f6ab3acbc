import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { PROMISE_STATES } from '../../domain/promise.ts';
import { listPromisesMade, recordPromise } from '../../engine/holds/record-promise.ts';
import type { CliEnv } from '../cli-env.ts';

export function promiseCommand(program: Command, cli: CliEnv): void {
  program
    .command('promise')
    .description("record a client's promise to pay: client reminders wait until the end of that day")
    .argument('<invoice>', 'the invoice number')
    .requiredOption('--amount <amount>', 'the promised amount in major units, e.g. 500 or 1200.50')
    .requiredOption('--on <date>', 'the promised date, YYYY-MM-DD')
    .option('--note <text>', 'what was said, for the team')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        invoiceNumber: string,
        options: { amount: string; on: string; note?: string; json?: boolean },
      ) => {
        await cli.withEngine(async ({ ctx }) => {
          const promise = await recordPromise({
            ctx,
            input: { invoiceNumber, amount: options.amount, promisedOn: options.on, note: options.note },
          });
          if (options.json) return cli.out(JSON.stringify(promise));
          cli.out(
            `${promise.invoiceNumber}: promise to pay ${promise.amount} ${promise.currency} by ${promise.promisedOn}; ` +
              `client reminders wait until ${promise.remindersWaitUntil}`,
          );
        });
      },
    );
  program
    .command('promises')
    .description('list promises to pay, newest first')
    .option('--state <state>', `only promises in this state (${PROMISE_STATES.join(', ')})`)
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'one JSON object per line')
    .action(async (options: { state?: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new DulyError('invalid_input', 'must be a whole number of 1 or more', { field: '--limit' });
      }
      if (options.state && !(PROMISE_STATES as readonly string[]).includes(options.state)) {
        throw new DulyError(
          'invalid_input',
          `unknown state "${options.state}"; use one of ${PROMISE_STATES.join(', ')}`,
          {
            field: '--state',
          },
        );
      }
      await cli.withEngine(async ({ ctx }) => {
        const promises = await listPromisesMade({ ctx, input: { state: options.state, limit } });
        for (const p of promises) {
          if (options.json) cli.out(JSON.stringify(p));
          else
            cli.out(
              `${p.invoiceNumber}  ${p.amount} ${p.currency} by ${p.promisedOn}  ${p.state}  (${p.recordedBy})` +
                (p.note ? `  ${p.note}` : ''),
            );
        }
        if (promises.length === 0 && !options.json) cli.out('no promises to pay');
      });
    });
}
