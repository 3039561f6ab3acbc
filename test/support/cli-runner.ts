/**
 * Runs the real `duly` command as a child process (Node 24 from node_modules, `bin/duly.js`), each test
 * in a workspace of its own: a temp directory holding its duly.yaml and SQLite file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NODE = join(REPO, 'node_modules/.bin/node');
const DULY = join(REPO, 'bin/duly.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** The child is killed after this long and the run fails (default 20 s). */
  timeoutMs?: number;
}

/** The environment a child gets: only what a shell would pass, plus the test's DULY_* settings. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env };
}

function spawnDuly(args: string[], options: RunOptions): ChildProcess {
  return spawn(NODE, [DULY, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

/** Runs `duly ...args` to the end and returns its exit code and output. */
export async function runDuly(args: string[], options: RunOptions): Promise<CliResult> {
  const child = spawnDuly(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await waitForExit(child).finally(() => clearTimeout(timer));
  if (signal === 'SIGKILL') throw new Error(`duly ${args.join(' ')} ran over ${timeoutMs} ms\n${stderr}`);
  return { code, signal, stdout, stderr };
}

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` as printed on the "listening on" line; empty for `--role worker`. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<CliResult>;
}

/** Starts `duly serve --port 0 ...args` and resolves once it prints that it is listening. */
export async function startServe(args: string[], options: RunOptions): Promise<ServeProcess> {
  const child = spawnDuly(['serve', '--host', '127.0.0.1', '--port', '0', ...args], options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = waitForExit(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`duly serve did not start within 15 s\n${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // A worker has no HTTP port: its url is empty.
      const match = /duly listening on (http:\/\/127\.0\.0\.1:\d+)|duly worker running/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? '');
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`duly serve exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code, signal: by } = await exited.finally(() => clearTimeout(timer));
      if (by === 'SIGKILL') throw new Error(`duly serve did not stop within ${timeoutMs} ms\n${stderr}`);
      return { code, signal: by, stdout, stderr };
    },
  };
}

export interface Workspace {
  dir: string;
  dbPath: string;
  configPath: string;
  /** DULY_DATABASE_URL, DULY_CONFIG and DULY_SECRET for this workspace. */
  env: Record<string, string>;
  /** Writes a file into the workspace and returns its path. */
  write(name: string, text: string): Promise<string>;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  serve(args?: string[], env?: Record<string, string>): Promise<ServeProcess>;
  /** Opens the workspace's SQLite file directly, as an operator (or an attacker) could. */
  openDb(): DatabaseSync;
  remove(): Promise<void>;
}

/** A fresh temp directory with `config` as its duly.yaml and an empty database. */
export async function createWorkspace(config: string): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'duly-cli-'));
  const dbPath = join(dir, 'duly.db');
  const configPath = join(dir, 'duly.yaml');
  await writeFile(configPath, config);
  const env = {
    DULY_DATABASE_URL: `sqlite:${dbPath}`,
    DULY_CONFIG: configPath,
    DULY_SECRET: 'test-secret',
  };
  const serves: ServeProcess[] = [];
  return {
    dir,
    dbPath,
    configPath,
    env,
    async write(name, text) {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    run: (args, extra = {}) => runDuly(args, { cwd: dir, env: { ...env, ...extra } }),
    async serve(args = [], extra = {}) {
      const serve = await startServe(args, { cwd: dir, env: { ...env, ...extra } });
      serves.push(serve);
      return serve;
    },
    openDb() {
      const db = new DatabaseSync(dbPath);
      // `duly serve` may be writing at the same moment.
      db.exec('PRAGMA busy_timeout = 5000');
      return db;
    },
    async remove() {
      // A test that failed half-way may leave its server running.
      await Promise.all(serves.map((s) => s.stop('SIGKILL').catch(() => undefined)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** stdout as JSON lines (`--json` output). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
