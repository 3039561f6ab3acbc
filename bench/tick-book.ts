import pino from 'pino';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../src/config/load-config.ts';
import { addDays } from '../src/domain/calendar-date.ts';
import { createEngineCtx, type EngineCtx } from '../src/engine/runtime.ts';
import { openStore, type Store } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

/** The tick benchmark's book: accounts, contacts and open invoices, and the instant of the tick. */
export const TICK_NOW = Date.parse('2026-03-18T13:00:00Z'); // Wednesday 09:00 in New York: the default send time
const TODAY = '2026-03-18';

/** A fixed pseudo-random spread (Knuth's multiplicative hash), the same on every run. */
function scramble(i: number): number {
  return Math.imul(i + 1, 2654435761) >>> 8;
}

/**
 * Ten invoices an account. A pseudo-random tenth fall due in 3 days (their "upcoming" reminder is due
 * at TICK_NOW), so some accounts have none due, most one, a few several (sent as one statement); the
 * rest fall due 10–70 days later.
 */
export function seedBook(store: Store, invoices: number, accounts: number): void {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('the tick benchmark runs on SQLite');
  sqlite.exec('begin');
  const account = sqlite.prepare(
    `insert into accounts (tenant_id, id, name, timezone, locale, tags, auto_pay, created_at, updated_at)
     values ('default', ?, ?, 'America/New_York', 'en-US', '[]', 0, 0, 0)`,
  );
  const contact = sqlite.prepare(
    `insert into contacts (tenant_id, id, account_id, name, email, opt_outs, created_at, updated_at)
     values ('default', ?, ?, ?, ?, '[]', 0, 0)`,
  );
  for (let a = 0; a < accounts; a += 1) {
    account.run(`A${a}`, `Account ${a}`);
    contact.run(`C${a}`, `A${a}`, `Contact ${a}`, `billing${a}@example.com`);
  }
  const invoice = sqlite.prepare(
    `insert into invoices (tenant_id, id, number, account_id, amount, balance, currency, issued_on, due_on, status,
       disputed, source, next_plan_at, created_at, updated_at)
     values ('default', ?, ?, ?, ?, ?, 'USD', ?, ?, 'open', 0, 'bench', 0, 0, 0)`,
  );
  for (let i = 0; i < invoices; i += 1) {
    const due = addDays(TODAY, scramble(i) % 10 === 0 ? 3 : 10 + (scramble(i) % 61));
    const amount = 10_000 + (i % 500) * 100;
    invoice.run(
      `I${i}`,
      `INV-${i}`,
      `A${Math.floor(i / 10) % accounts}`,
      amount,
      amount,
      addDays(due, -30),
      due,
    );
  }
  sqlite.exec('commit');
}

/** The shipped default config (sandbox channels) over a store, as `npm start` runs it. */
export async function openBenchEngine(
  path: string,
  now: number = TICK_NOW,
): Promise<{ ctx: EngineCtx; close(): Promise<void> }> {
  const store = openStore(`sqlite:${path}`);
  await migrateToLatest(store, TICK_NOW);
  const config = loadConfigFile(DEFAULT_CONFIG_PATH, { env: {} });
  return createEngineCtx(store, config, {
    clock: () => now,
    logger: pino({ level: 'silent' }),
    actor: 'bench',
    runtime: { linkSecret: 'bench' },
  });
}
