import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { verifyAudit } from '../../store/audit.ts';
import { exportAudit } from '../../store/audit-export.ts';
import type { CliEnv } from '../cli-env.ts';

export function auditCommand(program: Command, cli: CliEnv): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('check the hash chain; exits non-zero naming the first entry altered or removed')
    .action(async () => {
      await cli.withEngine(async ({ ctx }) => {
        const verdict = await verifyAudit(ctx.store.db, ctx.tenantId);
        if (verdict.ok) return cli.out(`audit trail intact: ${verdict.count} entries`);
        throw new DulyError(
          'conflict',
          `audit trail broken: ${verdict.firstBad.problem} (${verdict.count} entries checked)`,
        );
      });
    });
  audit
    .command('export')
    .description('write every entry as JSON lines or CSV')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (options: { format: string; out?: string }) => {
      if (options.format !== 'jsonl' && options.format !== 'csv') {
        throw new DulyError('invalid_input', `unknown format "${options.format}"; use jsonl or csv`, {
          field: '--format',
        });
      }
      const format = options.format;
      await cli.withEngine(async ({ ctx }) => {
        const stream = options.out ? createWriteStream(options.out) : process.stdout;
        const write = (chunk: string) =>
          stream.write(chunk)
            ? undefined
            : new Promise<void>((resolve) => stream.once('drain', () => resolve()));
        const count = await exportAudit(ctx.store.db, ctx.tenantId, format, write);
        if (options.out) {
          await new Promise<void>((resolve, reject) =>
            (stream as ReturnType<typeof createWriteStream>).end((e?: Error) => (e ? reject(e) : resolve())),
          );
          cli.err(`${count} entries written to ${options.out}`);
        }
      });
    });
}
