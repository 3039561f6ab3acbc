import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTick } from '../src/engine/run-tick.ts';
import { NODE_FLAGS } from '../src/node-flags.ts';
import { argNumber, printBenchLine } from './bench-line.ts';
import { machineSeconds } from './machine-speed.ts';
import { openBenchEngine, TICK_NOW } from './tick-book.ts';

// One full tick over N open invoices (default 1,000,000 over 100,000 accounts) at an instant where
// about 10% have a reminder due, on SQLite with the shipped default config (sandbox channels, which
// store every rendered message). The book is built and planned once in a child process (as after an
// import); the tick is timed here, so rss_mb is the tick's own peak.
const N = argNumber('invoices', 1_000_000);
const ACCOUNTS = Math.max(1, Math.round(N / 10));
const path = join(tmpdir(), `duly-bench-tick-${process.pid}.db`);
const removeDatabase = () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

try {
  const setup = spawnSync(
    process.execPath,
    [
      ...NODE_FLAGS,
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(new URL('./tick-setup.ts', import.meta.url)),
      path,
      String(N),
      String(ACCOUNTS),
    ],
    { stdio: 'inherit' },
  );
  if (setup.status !== 0) throw new Error(`building the book failed (exit ${setup.status})`);

  const engine = await openBenchEngine(path);
  // The machine's speed of the moment: it drifts by half from one minute to the next.
  const machine = machineSeconds();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const counts = await runTick(engine.ctx, { now: TICK_NOW, random: () => 0.5 });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const messages = await engine.ctx.store.db
    .selectFrom('local_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  printBenchLine('tick', N, seconds, {
    // Every thread of the process: the tick's own, the garbage collector's and the checkpointer's.
    cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    machine_seconds: machine,
    accounts: ACCOUNTS,
    due_fraction: Number(((counts.sent + counts.deferred) / N).toFixed(3)),
    messages: Number(messages.n),
    planned: counts.planned,
    sent: counts.sent,
    failed: counts.failed,
  });

  const nextStarted = performance.now();
  const next = await runTick(engine.ctx, { now: TICK_NOW + 60_000, random: () => 0.5 });
  printBenchLine('tick_next_minute', N, (performance.now() - nextStarted) / 1000, {
    planned: next.planned,
    sent: next.sent,
  });
  await engine.close();
} finally {
  removeDatabase();
}
