import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfigText } from '../src/config/load-config.ts';
import { createEngineCtx } from '../src/engine/runtime.ts';
import { createServer } from '../src/server/create-server.ts';
import { createMetrics } from '../src/server/metrics.ts';
import { openStore } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { argNumber, printBenchLine } from './bench-line.ts';

// Event-to-alert latency of a failed payment: N `payment.failed` events for N distinct invoices, posted
// over real HTTP to the real server on loopback (CONCURRENCY in flight), on an SQLite file. Timed from
// the start of each request to the moment the team alert is handed to the team channel's sender.
const N = argNumber('events', 2000);
const CONCURRENCY = argNumber('concurrency', 8);
const path = join(tmpdir(), `duly-bench-payment-failed-${process.pid}.db`);

const CONFIG = `
timezone: UTC
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: http://127.0.0.1
channels:
  email: { provider: sandbox, address: email }
  team: { provider: in_app }
team:
  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [collections] }
policies:
  - id: failed-payment
    trigger: payment_failed
    task: { due_in: 2d }
    steps:
      - { id: team-alert, at: failed, to: owner, via: [team, email], deliver: all, template: payment-failed-team }
      - { id: client-notice, at: failed+15m, to: client, via: [email], template: payment-failed-client }
      - { id: recovered, at: recovered, to: owner, via: [team, email], deliver: all, template: payment-recovered }
`;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const removeDatabase = () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

try {
  const store = openStore(`sqlite:${path}`);
  const now = Date.now();
  await migrateToLatest(store, now);
  await seed(store.db, N, now);
  const config = parseConfigText(CONFIG, 'bench.yaml', { env: {} });
  const { ctx, close } = createEngineCtx(store, config, {
    clock: () => Date.now(),
    logger: pino({ level: 'silent' }),
    actor: 'bench',
    runtime: { linkSecret: 'bench-secret' },
  });
  // Observe the real sender: the moment the alert is handed to the team channel.
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const team = ctx.runtime.channels.get('team');
  if (!team) throw new Error('the bench config has no team channel');
  const send = team.sender.send.bind(team.sender);
  team.sender.send = (message, sendCtx) => {
    const number = message.metadata.invoiceNumbers[0] ?? '';
    const start = started.get(number);
    if (start !== undefined) latencies.push(performance.now() - start);
    return send(message, sendCtx);
  };

  const app = createServer({ ctx, metrics: createMetrics(), apiKey: null });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  let next = 0;
  let refused = 0;
  const client = async () => {
    while (next < N) {
      const i = next++;
      const number = `INV-${i}`;
      started.set(number, performance.now());
      const response = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: `evt-${i}`,
          type: 'payment.failed',
          source: 'bench',
          data: { invoice_number: number, reason: 'card declined', payment_id: `ch_${i}` },
        }),
      });
      if (response.status !== 202) refused += 1;
      await response.arrayBuffer();
    }
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - begun) / 1000;
  await app.close();
  await close();
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (v: number) => Number(v.toFixed(2));
  printBenchLine('payment_failed_latency', N, seconds, {
    concurrency: CONCURRENCY,
    alerts: sorted.length,
    refused,
    p50_ms: ms(quantile(sorted, 0.5)),
    p99_ms: ms(quantile(sorted, 0.99)),
    max_ms: ms(sorted[sorted.length - 1] ?? Number.NaN),
  });
} finally {
  removeDatabase();
}

async function seed(db: ReturnType<typeof openStore>['db'], n: number, at: number) {
  const accounts = Math.max(1, Math.round(n / 4));
  await db.transaction().execute(async (trx) => {
    for (let a = 0; a < accounts; a += 500) {
      const ids = Array.from({ length: Math.min(500, accounts - a) }, (_, k) => `acct-${a + k}`);
      await trx
        .insertInto('accounts')
        .values(
          ids.map((id) => ({
            tenant_id: 'default',
            id,
            name: `Account ${id}`,
            timezone: 'UTC',
            locale: 'en-US',
            currency: null,
            tags: '[]',
            owner: null,
            paused_until: null,
            pause_reason: null,
            auto_pay: 0,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      await trx
        .insertInto('contacts')
        .values(
          ids.map((id) => ({
            tenant_id: 'default',
            id: `${id}-billing`,
            account_id: id,
            name: 'Jane Doe',
            email: `billing@${id}.example`,
            phone: null,
            whatsapp: null,
            telegram: null,
            preferred_channel: null,
            timezone: null,
            locale: null,
            opt_outs: '[]',
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
    }
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
        const j = i + k;
        return {
          tenant_id: 'default',
          id: `inv-${j}`,
          number: `INV-${j}`,
          account_id: `acct-${j % accounts}`,
          amount: 120_000,
          balance: 120_000,
          currency: 'USD',
          issued_on: '2026-01-01',
          due_on: '2026-02-01',
          status: 'open',
          disputed: 0,
          paused_until: null,
          source: 'bench',
          external_id: null,
          next_plan_at: null,
          created_at: at,
          updated_at: at,
        };
      });
      await trx.insertInto('invoices').values(rows).execute();
    }
  });
}
