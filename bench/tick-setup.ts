import { runTick } from '../src/engine/run-tick.ts';
import { printBenchLine } from './bench-line.ts';
import { openBenchEngine, seedBook, TICK_NOW } from './tick-book.ts';

// Child of tick-bench.ts: builds the book and plans it once, as after an import, so the tick that
// tick-bench.ts times runs in a fresh process whose peak memory is its own.
const [path, invoicesArg, accountsArg] = process.argv.slice(2);
const invoices = Number(invoicesArg);
// The book is planned a minute before the timed tick, on a clock that says so.
const engine = await openBenchEngine(path as string, TICK_NOW - 60_000);
const seedStarted = performance.now();
seedBook(engine.ctx.store, invoices, Number(accountsArg));
printBenchLine('seed_book', invoices, (performance.now() - seedStarted) / 1000);
const started = performance.now();
const counts = await runTick(engine.ctx, { now: TICK_NOW - 60_000, random: () => 0.5 });
printBenchLine('plan_book', invoices, (performance.now() - started) / 1000, { planned: counts.planned });
// A running Duly checkpoints as it goes; the book's one big write must not be checkpointed inside the timed tick.
engine.ctx.store.sqlite?.exec('PRAGMA wal_checkpoint(TRUNCATE)');
await engine.close();
