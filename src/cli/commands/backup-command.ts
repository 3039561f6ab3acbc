import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DulyError } from '../../domain/errors.ts';
import { backupSqlite, sqliteFileOf } from '../../store/backup-sqlite.ts';
import { DEFAULT_DATABASE_URL, openStore, redactUrl } from '../../store/connect.ts';
import type { CliEnv } from '../cli-env.ts';

/**
 * `duly backup FILE`: opens the database on its own, not the engine, so taking a copy neither migrates nor
 * records a config version, and runs beside a `duly serve` that keeps writing.
 */
export function backupCommand(program: Command, cli: CliEnv): void {
  program
    .command('backup <file>')
    .description('copy the SQLite database to FILE while Duly runs (for PostgreSQL, use pg_dump)')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const url = process.env.DULY_DATABASE_URL ?? DEFAULT_DATABASE_URL;
      const path = sqliteFileOf(url);
      if (path !== null && !existsSync(path)) {
        throw new DulyError('not_found', `no database at ${path}; set DULY_DATABASE_URL to the one to copy`, {
          field: 'DULY_DATABASE_URL',
        });
      }
      const store = openStore(url);
      try {
        const result = await backupSqlite(store, file, { force: options.force === true });
        cli.out(`${result.pages} pages copied from ${redactUrl(url)} to ${result.path}`);
      } finally {
        await store.close();
      }
    });
}
