import { mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { localDateAt } from '../../domain/zone-clock.ts';
import { importInvoices } from '../../engine/import/import-rows.ts';
import type { CliEnv } from '../cli-env.ts';
import { demoCsv } from '../demo-data.ts';
import { seedDemoTriggers } from '../demo-triggers.ts';
import { type ServeOptions, serve } from './serve-command.ts';

export function demoCommand(program: Command, cli: CliEnv): void {
  program
    .command('demo')
    .description(
      'load demo invoices (first run only) and serve; every channel is the sandbox, nothing is sent',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--tick-seconds <s>', 'seconds between scheduler ticks', '60')
    .action(async (options: ServeOptions) => {
      await cli.withEngine(async (engine) => {
        const { ctx } = engine;
        const any = await ctx.store.db.selectFrom('invoices').select('id').limit(1).executeTakeFirst();
        if (!any) {
          mkdirSync('data', { recursive: true });
          const file = 'data/demo-invoices.csv';
          writeFileSync(file, demoCsv(localDateAt(ctx.clock(), ctx.config.timezone)));
          const today = localDateAt(ctx.clock(), ctx.config.timezone);
          const result = await importInvoices({ ctx, input: { file } });
          await seedDemoTriggers(ctx, today);
          cli.err(
            `demo: imported ${result.invoices.created} invoices from ${file}, plus contracts, a subscription, a milestone and a promise to pay`,
          );
        }
        const providers = new Set(Object.values(ctx.config.channels).map((c) => c.provider));
        const local = [...providers].every((p) => p === 'sandbox' || p === 'in_app');
        cli.err(
          local
            ? 'demo: every channel is the sandbox or in-app; nothing leaves this machine. See it with `npx duly outbox`'
            : `demo: channels use ${[...providers].join(', ')}: messages will really be sent`,
        );
        await serve(engine, options, cli);
      });
    });
}
