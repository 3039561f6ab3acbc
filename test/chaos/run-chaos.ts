/**
 * Chaos run for the dispatcher (issue #4): real `duly serve --role worker` processes, SIGKILLed and
 * restarted every few seconds, sending through a webhook provider that fails about one request in five,
 * while invoices are being paid. Then every touch must be final, nothing recorded as sent may be missing
 * at the provider, duplicates stay within what the crashes allow, and no message for a paid invoice may
 * arrive well after the payment returned.
 *
 *   npm run chaos                 # 20,000 invoices: 3 workers on PostgreSQL, then 1 on SQLite
 *   npm run chaos -- --short      # 2,000 each (CI)
 *   npm run chaos -- --only sqlite --seed 7 --keep
 *
 * PostgreSQL comes from DULY_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); each run
 * gets a schema of its own, dropped at the end. Prints one JSON line per run and exits non-zero when a
 * check fails; the run's directory (config, CSV, worker logs) is kept then, and its path printed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChaosProvider, seededRandom, startChaosProvider } from './chaos-provider.ts';
import {
  type ChaosEvidence,
  checkChaosRun,
  failedChecks,
  type PaymentRecord,
  type TouchRecord,
} from './chaos-report.ts';
import {
  type DispatchSettings,
  invoiceNumber,
  LINK_SECRET,
  runDuly,
  sleep,
  WEBHOOK_SECRET,
  writeChaosConfig,
  writeInvoicesCsv,
} from './chaos-setup.ts';
import {
  createPgSchema,
  DEFAULT_PG_URL,
  openStoreReader,
  type PgSchema,
  readStateCounts,
  type StoreReader,
} from './chaos-store.ts';
import { startWorkerPool, type WorkerPool } from './worker-pool.ts';

type Kind = 'postgres' | 'sqlite';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    only: { type: 'string' },
    seed: { type: 'string', default: '42' },
    invoices: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // For diagnosis: no SIGKILLs, so anything sent twice was not caused by a crash.
    'no-kill': { type: 'boolean', default: false },
  },
});
const SHORT = args.short === true;
const SEED = Number(args.seed);
const N = args.invoices ? Number(args.invoices) : SHORT ? 2_000 : 20_000;
/**
 * A run that has not settled by then fails. The short run settles in about a minute on an idle 2-core
 * machine; on a loaded one each worker takes seconds to boot between kills, so it has room to double.
 */
const TIME_LIMIT_MS = SHORT ? 180_000 : 20 * 60_000;
const DISPATCH: DispatchSettings = { maxInFlight: 8, lease: '4s', batchSize: 100, sendTimeoutMs: 1000 };
const FAILURE_RATE = 0.2;
/** Slow answers come this long after the request: past the send timeout. */
const SLOW_MS = 1_600;
const PAY_SHARE = 0.02;
const PG_URL = process.env.DULY_TEST_PG_URL || DEFAULT_PG_URL;

const note = (line: string) => process.stderr.write(`chaos: ${line}\n`);

interface RunResult {
  line: Record<string, unknown>;
  failures: string[];
}

async function runChaos(kind: Kind, seed: number): Promise<RunResult> {
  const name = `chaos_${kind}`;
  // Separate streams, so the kill schedule does not depend on how many payments were made before it.
  const killRandom = seededRandom(seed);
  const payRandom = seededRandom(seed + 2);
  const dir = await mkdtemp(join(tmpdir(), `duly-${name}-`));
  const failures: string[] = [];
  let provider: ChaosProvider | null = null;
  let schema: PgSchema | null = null;
  let reader: StoreReader | null = null;
  let pool: WorkerPool | null = null;
  try {
    provider = await startChaosProvider({
      secret: WEBHOOK_SECRET,
      failureRate: FAILURE_RATE,
      random: seededRandom(seed + 1),
      slowMs: SLOW_MS,
    });
    const config = await writeChaosConfig(dir, { url: provider.url, dispatch: DISPATCH });
    const csv = await writeInvoicesCsv(dir, N, Date.now());
    if (kind === 'postgres') schema = await createPgSchema(PG_URL, 'chaos');
    const databaseUrl = schema ? schema.url : `sqlite:${join(dir, 'chaos.db')}`;
    const env = {
      DULY_DATABASE_URL: databaseUrl,
      DULY_CONFIG: config,
      DULY_SECRET: LINK_SECRET,
      DULY_LOG_LEVEL: 'warn',
    };

    const imported = await runDuly(['import', csv, '--json'], env, 300_000);
    if (imported.code !== 0) throw new Error(`duly import failed (${imported.code}): ${imported.stderr}`);
    note(`${name}: imported ${N} invoices into ${schema ? `schema ${schema.schema}` : databaseUrl}`);
    reader = await openStoreReader(databaseUrl);

    const workers = kind === 'postgres' ? 3 : 1;
    const started = Date.now();
    pool = startWorkerPool({ size: workers, env, cwd: dir, logDir: dir });
    const activePool = pool;
    let done = false;
    let timedOut = false;
    let kills = 0;

    const killer = (async () => {
      while (!done) {
        // Counted from when every worker is up, so that each lives 2–4 s of work however slowly it boots:
        // on a loaded machine a worker killed while still starting up would never send anything.
        await Promise.all(Array.from({ length: workers }, (_, slot) => activePool.started(slot)));
        await sleep(2_000 + killRandom() * 2_000);
        if (done || args['no-kill']) continue;
        const slot = Math.floor(killRandom() * workers);
        if (activePool.kill(slot)) kills += 1;
        await sleep(500);
        activePool.restart(slot);
      }
    })();

    // Payments go to invoices the provider has not seen yet, so that most of them race a pending send.
    const payments: PaymentRecord[] = [];
    const paymentErrors: string[] = [];
    const target = Math.max(1, Math.round(N * PAY_SHARE));
    const chosen = new Set<string>();
    const seen = new Set<string>();
    let seenUpTo = 0;
    const accepted = provider.accepted;
    const pickInvoice = (): string | null => {
      for (; seenUpTo < accepted.length; seenUpTo += 1)
        for (const number of accepted[seenUpTo]?.invoiceNumbers ?? []) seen.add(number);
      for (let tries = 0; tries < 50; tries += 1) {
        const number = invoiceNumber(Math.floor(payRandom() * N));
        if (!chosen.has(number) && (!seen.has(number) || tries > 40)) return number;
      }
      return null;
    };
    const payer = async () => {
      // Mean gap: the run should be well under way when the last payment is made.
      const gapMs = SHORT ? 600 : 250;
      while (!done && chosen.size < target) {
        await sleep(payRandom() * 2 * gapMs);
        const number = pickInvoice();
        if (done || number === null) continue;
        chosen.add(number);
        const paid = await runDuly(['pay', number], env, 60_000);
        if (paid.code === 0) payments.push({ invoice: number, returnedAt: paid.returnedAt });
        else paymentErrors.push(`${number}: exit ${paid.code ?? paid.signal}: ${paid.stderr.trim()}`);
      }
    };
    const payers = Promise.all([payer(), payer()]);

    let lastNote = Date.now();
    for (;;) {
      await sleep(1_000);
      const counts = await readStateCounts(reader);
      if (counts.touches > 0 && counts.pending === 0 && counts.unplanned === 0) break;
      if (Date.now() - started > TIME_LIMIT_MS) {
        timedOut = true;
        break;
      }
      if (Date.now() - lastNote > 10_000) {
        lastNote = Date.now();
        note(
          `${name}: ${Math.round((Date.now() - started) / 1000)} s, kills ${kills}, payments ${payments.length}, ` +
            `unplanned ${counts.unplanned}, ${JSON.stringify(counts.byState)}`,
        );
      }
    }
    const seconds = (Date.now() - started) / 1000;
    done = true;
    await Promise.all([killer, payers]);
    const exits = await pool.stop(10_000);
    pool = null;

    const touches = await readTouches(reader);
    const final = await readStateCounts(reader);
    const leaseReclaims = await countLeaseReclaims(reader);
    // SIGKILLs must not have broken the hash chain of the audit trail either.
    const audit = await runDuly(['audit', 'verify'], env, 300_000);
    if (audit.code !== 0) failures.push(`duly audit verify failed: ${(audit.stdout + audit.stderr).trim()}`);
    const { figures, evidence } = checkChaosRun({
      touches,
      accepted: provider.accepted,
      payments,
      kills,
      maxInFlight: DISPATCH.maxInFlight,
      sendTimeoutMs: DISPATCH.sendTimeoutMs,
    });
    failures.push(...failedChecks(figures, final.unplanned));
    if (timedOut) failures.push(`not settled within ${TIME_LIMIT_MS / 1000} s`);
    for (const exit of exits) {
      if (exit.code !== 0 || exit.forced) {
        failures.push(
          `worker ${exit.slot} (pid ${exit.pid}) did not stop cleanly on SIGTERM: code ${exit.code}, signal ${exit.signal}, ${exit.ms} ms${exit.forced ? ', SIGKILLed' : ''}`,
        );
      }
    }
    for (const crash of activePool.crashes) {
      failures.push(
        `worker ${crash.slot} (pid ${crash.pid}) died by itself: code ${crash.code}, signal ${crash.signal}`,
      );
    }
    if (paymentErrors.length > 0)
      failures.push(`${paymentErrors.length} payments failed: ${paymentErrors[0]}`);
    if (failures.length > 0 || args.keep) {
      await writeFile(
        join(dir, 'provider-accepted.jsonl'),
        provider.accepted.map((r) => `${JSON.stringify(r)}\n`).join(''),
      );
    }
    if (provider.retryAfterViolations.length > 0) {
      note(
        `${name}: ${provider.retryAfterViolations.length} retries came sooner than Retry-After, e.g. ${JSON.stringify(provider.retryAfterViolations.slice(0, 3))}`,
      );
    }
    if (failures.length > 0) await printEvidence(reader, evidence, activePool.logFiles, dir);

    const { not_terminal, skipped, accepted_not_recorded_sent, ...required } = figures;
    const line = {
      name,
      ...required,
      seconds: Number(seconds.toFixed(1)),
      workers,
      not_terminal,
      skipped,
      accepted_not_recorded_sent,
      lease_reclaims: leaseReclaims,
      audit_verified: audit.code === 0,
      payments: payments.length,
      provider_receipts: provider.received,
      provider_accepted: provider.accepted.length,
      provider_distinct_keys: provider.distinctKeys,
      provider_faults: provider.faults,
      rejected_signatures: provider.rejected,
      retry_after_violations: provider.retryAfterViolations.length,
      ok: failures.length === 0,
    };
    return { line, failures };
  } finally {
    if (pool) await pool.stop(5_000);
    await reader?.close();
    await provider?.close();
    if (args.keep && schema) note(`${name}: kept schema ${schema.schema} (--keep): drop it when done`);
    else await schema?.drop();
    if (failures.length === 0 && !args.keep) await rm(dir, { recursive: true, force: true });
    else note(`${name}: kept ${dir} (config, CSV, worker logs, provider log${schema ? '' : ', database'})`);
  }
}

/**
 * Claims of a touch still marked `sending` by an earlier claim (no outcome in between): its lease had
 * lapsed. Expected after a SIGKILL (the whole claimed batch, sent or not); without kills, each one is a
 * worker taking over a send that another live worker still holds.
 */
async function countLeaseReclaims(reader: StoreReader): Promise<number> {
  const [row] = await reader.all<{ n: number | string }>(`select count(*) as n from (
      select kind, lag(kind) over (partition by subject order by seq) as previous
      from audit where subject like 'touch:%') transitions
    where kind = 'touch.sending' and previous = 'touch.sending'`);
  return Number(row?.n ?? 0);
}

async function readTouches(reader: StoreReader): Promise<TouchRecord[]> {
  const rows = await reader.all<{
    id: number | string;
    state: string;
    reason: string | null;
    attempts: number | string;
    number: string;
  }>(`select t.id, t.state, t.reason, t.attempts, i.number from touches t
      join invoices i on i.tenant_id = t.tenant_id and i.id = t.subject_id and t.subject_kind = 'invoice' order by t.id`);
  return rows.map((r) => ({
    id: String(r.id),
    state: r.state,
    reason: r.reason,
    attempts: Number(r.attempts),
    invoice: r.number,
  }));
}

/** Enough to reproduce a failure: the touches involved, their attempts and audit trail, and log lines. */
async function printEvidence(
  reader: StoreReader,
  evidence: ChaosEvidence,
  logFiles: string[],
  dir: string,
): Promise<void> {
  const sample = (label: string, items: unknown[]) => {
    if (items.length === 0) return;
    note(`evidence: ${label} (${items.length}, first 5): ${JSON.stringify(items.slice(0, 5))}`);
  };
  sample('not final', evidence.notTerminal);
  sample('lost', evidence.lost);
  sample('duplicates under several keys', evidence.duplicates);
  sample('late after payment', evidence.late);
  const ids = [
    ...evidence.notTerminal.slice(0, 3).map((t) => t.id),
    ...evidence.lost.slice(0, 3).map((t) => t.id),
    ...evidence.duplicates.slice(0, 3).map((d) => d.touchId),
    ...evidence.late.slice(0, 3).flatMap((l) => l.touchIds),
  ].filter((id) => /^\d+$/.test(id));
  if (ids.length > 0) {
    const list = ids.join(',');
    const touches =
      await reader.all(`select id, state, reason, attempts, next_attempt_at, lease_until, updated_at
      from touches where id in (${list})`);
    note(`evidence: touches ${JSON.stringify(touches)}`);
    const attempts = await reader.all(`select touch_id, attempt_no, started_at, outcome, detail
      from attempts where touch_id in (${list}) order by touch_id, attempt_no`);
    note(`evidence: attempts ${JSON.stringify(attempts)}`);
    const subjects = ids.map((id) => `'touch:${id}'`).join(',');
    const audit = await reader.all(
      `select at, kind, subject, actor from audit where subject in (${subjects}) order by seq`,
    );
    note(`evidence: audit ${JSON.stringify(audit)}`);
  }
  note(`evidence: worker logs in ${logFiles.join(', ')} (run directory ${dir})`);
}

const kinds: Kind[] = (['postgres', 'sqlite'] as const).filter((k) => !args.only || args.only === k);
let failed = false;
for (const [index, kind] of kinds.entries()) {
  let result: RunResult;
  try {
    result = await runChaos(kind, SEED + index * 1000);
  } catch (error) {
    result = {
      line: { name: `chaos_${kind}`, ok: false, error: (error as Error).message },
      failures: ['crashed'],
    };
  }
  process.stdout.write(`${JSON.stringify(result.line)}\n`);
  for (const failure of result.failures) note(`FAILED chaos_${kind}: ${failure}`);
  if (result.failures.length > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
