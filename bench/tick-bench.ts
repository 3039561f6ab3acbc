import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../src/config/load-config.ts';
import { addDays } from '../src/domain/calendar-date.ts';
import { runTick } from '../src/engine/run-tick.ts';
import { createRuntime, type EngineCtx } from '../src/engine/runtime.ts';
import { openStore } from '../src/store/connect.ts';
import { DEFAULT_TENANT, migrateToLatest } from '../src/store/migrate.ts';
import { argNumber, printBenchLine } from './bench-line.ts';

// One full tick over N open invoices (default 1,000,000 over 100,000 accounts) at an instant where
// about 10% have a reminder due. The book is first planned once (as after an import: every invoice
// gets its next planning instant; timed and printed as plan_book), then the tick is timed.
const N = argNumber('invoices', 1_000_000);
const ACCOUNTS = Math.max(1, Math.round(N / 10));
const NOW = Date.parse('2026-03-18T13:00:00Z'); // Wednesday 09:00 in New York: the default send time
const TODAY = '2026-03-18';

const path = join(tmpdir(), `duly-bench-tick-${process.pid}.db`);
const store = openStore(`sqlite:${path}`);
await migrateToLatest(store, NOW);
const sqlite = store.sqlite;
if (!sqlite) throw new Error('the tick benchmark runs on SQLite');

const seedStarted = performance.now();
sqlite.exec('begin');
const account = sqlite.prepare(
  `insert into accounts (tenant_id, id, name, timezone, locale, tags, auto_pay, created_at, updated_at)
   values ('default', ?, ?, 'America/New_York', 'en-US', '[]', 0, 0, 0)`,
);
const contact = sqlite.prepare(
  `insert into contacts (tenant_id, id, account_id, name, email, opt_outs, created_at, updated_at)
   values ('default', ?, ?, ?, ?, '[]', 0, 0)`,
);
for (let a = 0; a < ACCOUNTS; a += 1) {
  account.run(`A${a}`, `Account ${a}`);
  contact.run(`C${a}`, `A${a}`, `Contact ${a}`, `billing${a}@example.com`);
}
const invoice = sqlite.prepare(
  `insert into invoices (tenant_id, id, number, account_id, amount, balance, currency, issued_on, due_on, status,
     disputed, source, next_plan_at, created_at, updated_at)
   values ('default', ?, ?, ?, ?, ?, 'USD', ?, ?, 'open', 0, 'bench', 0, 0, 0)`,
);
for (let i = 0; i < N; i += 1) {
  // Every 10th invoice falls due in 3 days (its "upcoming" reminder is due now); the rest 10–70 days ahead.
  const dueIn = i % 10 === 0 ? 3 : 10 + (i % 61);
  const due = addDays(TODAY, dueIn);
  const amount = 10_000 + (i % 500) * 100;
  invoice.run(`I${i}`, `INV-${i}`, `A${i % ACCOUNTS}`, amount, amount, addDays(due, -30), due);
}
sqlite.exec('commit');
const seedSeconds = (performance.now() - seedStarted) / 1000;
console.log('after seed', process.memoryUsage());

const config = loadConfigFile(DEFAULT_CONFIG_PATH, { env: {} });
const runtime = createRuntime(config, { linkSecret: 'bench' });
const ctx: EngineCtx = {
  store,
  tenantId: DEFAULT_TENANT,
  config,
  clock: () => NOW,
  logger: pino({ level: 'silent' }),
  actor: 'bench',
  runtime,
};

const bookStarted = performance.now();
const book = await runTick(ctx, { now: NOW - 60_000, random: () => 0.5 });
(globalThis as any).gc?.();
console.log('after book', process.memoryUsage());
printBenchLine('plan_book', N, (performance.now() - bookStarted) / 1000, {
  planned: book.planned,
  sent: book.sent,
});

const started = performance.now();
const counts = await runTick(ctx, { now: NOW, random: () => 0.5 });
const seconds = (performance.now() - started) / 1000;
printBenchLine('tick', N, seconds, {
  accounts: ACCOUNTS,
  due_fraction: Number(((counts.sent + counts.deferred) / N).toFixed(3)),
  ...counts,
  seed_seconds: Number(seedSeconds.toFixed(1)),
});

const warmStarted = performance.now();
const warm = await runTick(ctx, { now: NOW + 60_000, random: () => 0.5 });
printBenchLine('tick_next_minute', N, (performance.now() - warmStarted) / 1000, {
  planned: warm.planned,
  sent: warm.sent,
});

await runtime.close();
await store.close();
rmSync(path, { force: true });
rmSync(`${path}-wal`, { force: true });
rmSync(`${path}-shm`, { force: true });
for (const [k, v] of [...((globalThis as any).__prof ?? new Map()).entries()]
  .sort((a: any, b: any) => b[1][0] - a[1][0])
  .slice(0, 14))
  console.log(v[0].toFixed(0).padStart(6), v[1], k.replace(/\s+/g, ' '));
