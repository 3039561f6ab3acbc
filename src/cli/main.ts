import { userInfo } from 'node:os';
import { Command, CommanderError } from 'commander';
import { isDulyError } from '../domain/errors.ts';
import type { CliEnv } from './cli-env.ts';
import { accountCommand } from './commands/account-command.ts';
import { auditCommand } from './commands/audit-command.ts';
import { backupCommand } from './commands/backup-command.ts';
import { contractsCommand } from './commands/contracts-command.ts';
import { demoCommand } from './commands/demo-command.ts';
import { holdCommands } from './commands/hold-commands.ts';
import { importCommand } from './commands/import-command.ts';
import { invoiceCommand } from './commands/invoice-command.ts';
import { milestonesCommand } from './commands/milestones-command.ts';
import { outboxCommand } from './commands/outbox-command.ts';
import { payCommand } from './commands/pay-command.ts';
import { promiseCommand } from './commands/promise-command.ts';
import { sendCommand } from './commands/send-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { simulateCommand } from './commands/simulate-command.ts';
import { tasksCommand } from './commands/tasks-command.ts';
import { tickCommand } from './commands/tick-command.ts';
import { openEngine } from './open-engine.ts';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The `duly` command. Returns the exit code; user mistakes are one line on stderr, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  const program = new Command('duly')
    .description('Billing reminders and dunning: invoices in, reminders out on time, stopped by payment')
    .option('--config <file>', 'policy file (default: $DULY_CONFIG, ./duly.yaml, or the shipped default)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const cli: CliEnv = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    async withEngine(work) {
      const engine = await openEngine({
        cwd: process.cwd(),
        env: process.env,
        configPath: program.opts<{ config?: string }>().config,
        clock: () => Date.now(),
        actor: `cli:${currentUser()}`,
        logLevel: 'warn',
      });
      try {
        return await work(engine);
      } finally {
        await engine.close();
      }
    },
  };
  for (const add of [
    importCommand,
    tickCommand,
    simulateCommand,
    payCommand,
    sendCommand,
    holdCommands,
    promiseCommand,
    invoiceCommand,
    accountCommand,
    contractsCommand,
    milestonesCommand,
    outboxCommand,
    auditCommand,
    backupCommand,
    serveCommand,
    demoCommand,
    tasksCommand,
  ]) {
    add(program, cli);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isDulyError(error)) {
      process.stderr.write(`duly: ${error.toString()}\n`);
      return error.code === 'invalid_input' || error.code === 'invalid_config' ? 2 : 1;
    }
    process.stderr.write(`duly: unexpected error: ${(error as Error).message}\n`);
    if (process.env.DULY_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    else process.stderr.write('duly: run again with DULY_DEBUG=1 for details\n');
    return 70;
  }
}
