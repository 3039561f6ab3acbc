import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { argNumber, printBenchLine } from './bench-line.ts';
import { MACHINE_ROUNDS, machineSeconds, referenceWork } from './machine-speed.ts';

// How fast this machine is today, so the other figures can be compared across runs: identical ticks
// have taken from 5.5 s to 20 s of CPU on machines of the same kind. `seconds` is one thread hashing and
// serialising; `two_threads_seconds` is the same work on two threads at once (about `seconds` on two
// real cores, more where they share one); `fsync_mb_s` is what the disk takes with an fsync.
const ROUNDS = argNumber('machine_rounds', MACHINE_ROUNDS);

/** The same work on a thread of its own: this file, run as a worker. */
function onThread(rounds: number): Promise<void> {
  const worker = new Worker(new URL(import.meta.url), { workerData: rounds });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
}

function fsyncThroughput(megabytes: number): number {
  const path = join(tmpdir(), `duly-bench-machine-${process.pid}`);
  const block = Buffer.alloc(1024 * 1024, 7);
  const started = performance.now();
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < megabytes; i += 1) writeSync(fd, block);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return megabytes / ((performance.now() - started) / 1000);
}

if (isMainThread) {
  const seconds = machineSeconds(ROUNDS);
  const bothStarted = performance.now();
  await Promise.all([onThread(ROUNDS), onThread(ROUNDS)]);
  const twoThreads = (performance.now() - bothStarted) / 1000;
  printBenchLine('machine', ROUNDS, seconds, {
    two_threads_seconds: Number(twoThreads.toFixed(3)),
    fsync_mb_s: Math.round(fsyncThroughput(256)),
  });
} else {
  referenceWork(workerData as number);
  parentPort?.postMessage('done');
}
