import { Worker } from 'node:worker_threads';

/** A thread that copies a SQLite file's write-ahead log into the database as the writer goes on. */
export interface Checkpointer {
  /** Closes the thread's connection and waits for the thread to end. */
  stop(): Promise<void>;
}

/** Pause after a checkpoint that copied something; while nothing is written it doubles up to IDLE_MS. */
const BUSY_MS = 100;
const IDLE_MS = 5000;

// A checkpoint ends with an fsync of the log and of the database file. Run by the writer's own
// connection (SQLite's auto-checkpoint), those waits stall every send behind them: about 2 s of a
// 1,000,000-invoice tick on a disk that syncs 275 MB/s. On a thread of its own they overlap with the
// writer's work. The writer keeps its own auto-checkpoint (at 64 MB of log) as a backstop.
// Plain JavaScript, evaluated: a worker started from a string needs no loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let pause = workerData.busyMs;
let lastLog = -1;
let timer = null;
const run = () => {
  let copied = false;
  try {
    const { log, checkpointed } = checkpoint.get();
    copied = log !== lastLog || checkpointed < log;
    lastLog = log;
  } catch {
    // Busy (another connection checkpoints) or a locked file: the next turn tries again.
  }
  pause = copied ? workerData.busyMs : Math.min(pause * 2, workerData.idleMs);
  timer = setTimeout(run, pause);
};
timer = setTimeout(run, pause);
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing the SQLite file at `path` from a thread of its own. */
export function startCheckpointer(path: string): Checkpointer {
  const worker = new Worker(SOURCE, { eval: true, workerData: { path, busyMs: BUSY_MS, idleMs: IDLE_MS } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A failed checkpointer leaves the writer's own auto-checkpoint in charge; it must not take the process down.
  worker.on('error', () => {});
  worker.unref();
  return {
    async stop() {
      // Held open until the thread has closed its connection, so the writer's close is the last and clears the log.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
