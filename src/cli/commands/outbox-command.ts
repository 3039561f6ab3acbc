import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { TOUCH_STATES } from '../../domain/types.ts';
import type { CliEnv } from '../cli-env.ts';

export function outboxCommand(program: Command, cli: CliEnv): void {
  program
    .command('outbox')
    .description('list planned and sent messages (touches)')
    .option('--state <state>', `only touches in this state (${TOUCH_STATES.join(', ')})`)
    .option('--limit <n>', 'at most this many, newest first', '100')
    .option('--json', 'one JSON object per line')
    .action(async (options: { state?: string; limit: string; json?: boolean }) => {
      if (options.state && !(TOUCH_STATES as readonly string[]).includes(options.state)) {
        throw new DulyError(
          'invalid_input',
          `unknown state "${options.state}"; use one of ${TOUCH_STATES.join(', ')}`,
          {
            field: '--state',
          },
        );
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new DulyError('invalid_input', 'must be a whole number of 1 or more', { field: '--limit' });
      }
      await cli.withEngine(async ({ ctx }) => {
        let query = ctx.store.db
          .selectFrom('touches')
          .innerJoin('invoices', (j) =>
            j
              .onRef('invoices.id', '=', 'touches.subject_id')
              .onRef('invoices.tenant_id', '=', 'touches.tenant_id'),
          )
          .leftJoin('contacts', (j) =>
            j
              .onRef('contacts.id', '=', 'touches.recipient')
              .onRef('contacts.tenant_id', '=', 'touches.tenant_id'),
          )
          .select([
            'contacts.name as contact_name',
            'touches.id',
            'touches.state',
            'touches.due_at',
            'touches.step_id',
            'touches.channel',
            'touches.recipient',
            'touches.audience',
            'touches.attempts',
            'touches.reason',
            'invoices.number',
          ])
          .where('touches.tenant_id', '=', ctx.tenantId)
          .orderBy('touches.due_at', 'desc')
          .orderBy('touches.id', 'desc')
          .limit(limit);
        if (options.state) query = query.where('touches.state', '=', options.state);
        for (const row of await query.execute()) {
          const line = {
            id: Number(row.id),
            state: row.state,
            due_at: new Date(Number(row.due_at)).toISOString(),
            invoice: row.number,
            step: row.step_id,
            channel: row.channel,
            recipient: row.contact_name
              ? `${row.contact_name} (${row.recipient})`
              : `${row.audience}:${row.recipient}`,
            attempts: row.attempts,
            reason: row.reason,
          };
          cli.out(
            options.json
              ? JSON.stringify(line)
              : [
                  line.due_at,
                  line.state.padEnd(9),
                  line.invoice,
                  line.step,
                  line.channel,
                  line.recipient,
                  line.reason ?? '',
                ]
                  .join('  ')
                  .trimEnd(),
          );
        }
      });
    });
}
