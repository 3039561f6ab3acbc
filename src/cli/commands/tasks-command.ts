import type { Command } from 'commander';
import { closeTask, listTasks } from '../../engine/payments/tasks.ts';
import type { CliEnv } from '../cli-env.ts';

export function tasksCommand(program: Command, cli: CliEnv): void {
  program
    .command('tasks')
    .description("list the team's follow-up tasks (failed payments to chase …)")
    .option('--state <state>', 'open (default), done or all', 'open')
    .option('--json', 'one JSON object per line')
    .action(async (options: { state: string; json?: boolean }) => {
      await cli.withEngine(async ({ ctx }) => {
        const tasks = await listTasks({ ctx, input: { state: options.state } });
        for (const t of tasks) {
          if (options.json) {
            cli.out(JSON.stringify(t));
            continue;
          }
          const closed = t.state === 'open' ? '' : `(${t.closed_reason ?? 'done'})`;
          cli.out(
            [
              String(t.id).padStart(4),
              t.state.padEnd(4),
              `due ${t.due_on}`,
              t.owner ?? '(no owner)',
              t.title,
              t.invoice_url ?? '',
              closed,
            ]
              .join('  ')
              .trimEnd(),
          );
        }
      });
    });
  program
    .command('task')
    .description('act on one task')
    .command('close')
    .description('close a task by hand')
    .argument('<id>', 'the task number (see duly tasks)')
    .option('--reason <text>', 'why it is closed', 'done')
    .action(async (id: string, options: { reason: string }) => {
      await cli.withEngine(async ({ ctx }) => {
        await closeTask({ ctx, input: { id, reason: options.reason } });
        cli.out(`task ${id} closed: ${options.reason}`);
      });
    });
}
