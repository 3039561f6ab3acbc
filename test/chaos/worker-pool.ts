import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DULY = join(REPO, 'bin/duly.js');

/** The environment a `duly` child gets: what a shell would pass, plus the run's DULY_* settings. */
export function dulyEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env };
}

export interface WorkerExit {
  slot: number;
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When it exited (ms since the epoch). */
  at: number;
}

export interface WorkerPool {
  readonly size: number;
  /** SIGKILLs the worker in `slot` (a deliberate crash); true when one was running. */
  kill(slot: number): boolean;
  /** Starts a new worker in `slot` if none runs there. */
  restart(slot: number): void;
  running(slot: number): boolean;
  /** Settles once the worker in `slot` has started up (or exited, or none runs there). */
  started(slot: number): Promise<void>;
  /** Exits nobody asked for: a worker that died by itself. */
  readonly crashes: WorkerExit[];
  /**
   * SIGTERM to every worker once it has started up; each must then exit within `timeoutMs`, or it is
   * SIGKILLed (and reported).
   */
  stop(timeoutMs: number): Promise<(WorkerExit & { ms: number; forced: boolean })[]>;
  /** The largest peak RSS (VmHWM) seen in any one worker, in MB. */
  peakRssMb(): number;
  /** The log files, one per slot (stderr of every generation of that slot's worker). */
  readonly logFiles: string[];
}

/**
 * Runs `duly serve --role worker` processes in numbered slots, each logging to a file of its own, and
 * watches their peak memory through /proc (Linux; elsewhere rss is reported as 0).
 */
export function startWorkerPool(options: {
  size: number;
  env: Record<string, string>;
  cwd: string;
  logDir: string;
  tickSeconds?: number;
}): WorkerPool {
  const { size, cwd, logDir } = options;
  const env = dulyEnv(options.env);
  const children: (ChildProcess | null)[] = Array.from({ length: size }, () => null);
  const expected = new Set<ChildProcess>();
  /** Resolves once a worker has said it runs (and a moment more): its SIGTERM handler is installed. */
  const ready = new Map<ChildProcess, Promise<void>>();
  const crashes: WorkerExit[] = [];
  const logFiles = Array.from({ length: size }, (_, slot) => join(logDir, `worker-${slot}.log`));
  const logs: WriteStream[] = logFiles.map((file) => createWriteStream(file, { flags: 'a' }));
  let peakKb = 0;
  let stopping: ReturnType<WorkerPool['stop']> | null = null;

  const sampleRss = () => {
    for (const child of children) {
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) continue;
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // Gone between the check and the read, or no /proc here.
      }
    }
  };
  const sampler = setInterval(sampleRss, 250);

  const start = (slot: number) => {
    const log = logs[slot] as WriteStream;
    const child = spawn(
      process.execPath,
      [DULY, 'serve', '--role', 'worker', '--tick-seconds', String(options.tickSeconds ?? 1)],
      { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    log.write(`--- ${new Date().toISOString()} worker slot ${slot} pid ${child.pid} started\n`);
    const write = (chunk: Buffer | string) => {
      if (!log.writableEnded) log.write(chunk);
    };
    child.stdout?.on('data', write);
    child.stderr?.on('data', write);
    ready.set(
      child,
      new Promise<void>((resolve) => {
        let seen = '';
        const watch = (chunk: Buffer) => {
          seen = (seen + chunk.toString('utf8')).slice(-200);
          if (seen.includes('worker running')) {
            child.stderr?.off('data', watch);
            // The line is printed just before the handler is installed: a worker preempted in between
            // would still die of a SIGTERM sent the moment the line arrives.
            setTimeout(resolve, 250);
          }
        };
        child.stderr?.on('data', watch);
        child.once('exit', () => resolve());
      }),
    );
    child.once('exit', (code, signal) => {
      write(`--- ${new Date().toISOString()} pid ${child.pid} exited code=${code} signal=${signal}\n`);
      if (children[slot] === child) children[slot] = null;
      if (!expected.has(child)) crashes.push({ slot, pid: child.pid, code, signal, at: Date.now() });
      expected.delete(child);
      ready.delete(child);
    });
    children[slot] = child;
  };
  for (let slot = 0; slot < size; slot += 1) start(slot);

  const exitOf = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('close', () => resolve()));

  return {
    size,
    crashes,
    logFiles,
    kill(slot) {
      const child = children[slot];
      if (!child) return false;
      sampleRss();
      expected.add(child);
      child.kill('SIGKILL');
      children[slot] = null;
      return true;
    },
    restart(slot) {
      if (!children[slot]) start(slot);
    },
    running: (slot) => children[slot] !== null,
    started(slot) {
      const child = children[slot];
      return (child && ready.get(child)) ?? Promise.resolve();
    },
    stop(timeoutMs) {
      stopping ??= stopAll(timeoutMs);
      return stopping;
    },
    peakRssMb: () => Math.round(peakKb / 1024),
  };

  async function stopAll(timeoutMs: number) {
    sampleRss();
    clearInterval(sampler);
    const results = await Promise.all(
      children.map(async (child, slot) => {
        if (!child) return null;
        expected.add(child);
        // SIGTERM is for a running worker: one still starting up has no handler yet and dies of it.
        const booted = ready.get(child);
        if (booted) {
          let bootTimer: NodeJS.Timeout | undefined;
          await Promise.race([
            booted,
            new Promise((resolve) => (bootTimer = setTimeout(resolve, timeoutMs))),
          ]);
          clearTimeout(bootTimer);
        }
        const started = Date.now();
        child.kill('SIGTERM');
        let forced = false;
        const timer = setTimeout(() => {
          forced = true;
          child.kill('SIGKILL');
        }, timeoutMs);
        await exitOf(child);
        clearTimeout(timer);
        return {
          slot,
          pid: child.pid,
          code: child.exitCode,
          signal: child.signalCode,
          at: Date.now(),
          ms: Date.now() - started,
          forced,
        };
      }),
    );
    await Promise.all(logs.map((log) => new Promise<void>((resolve) => log.end(() => resolve()))));
    return results.filter((r) => r !== null);
  }
}
