import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DULY, dulyEnv, REPO } from './worker-pool.ts';

export const WEBHOOK_SECRET = 'chaos-webhook-secret-0123456789abcdef';
export const LINK_SECRET = 'chaos-link-secret-0123456789abcdef';

export interface DispatchSettings {
  maxInFlight: number;
  lease: string;
  batchSize: number;
  sendTimeoutMs: number;
}

/**
 * A config in which every invoice due ten days ago gets exactly one touch, due at once: one policy
 * with one step at due+1d (caught up with `latest`), every day a business day, no quiet hours, and
 * email going to the given webhook.
 */
export async function writeChaosConfig(
  dir: string,
  options: { url: string; dispatch: DispatchSettings },
): Promise<string> {
  const { dispatch } = options;
  const path = join(dir, 'duly.yaml');
  await writeFile(
    path,
    `# Written by test/chaos: one touch per invoice, due now, through a webhook.
timezone: UTC
locale: en-US
currency: USD
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: http://127.0.0.1:3000

channels:
  email: { provider: webhook, url: "${options.url}", secret: "${WEBHOOK_SECRET}" }

retry: { max_attempts: 10, base_delay: 200ms, max_delay: 2s }
# plan_ahead must be longer than zero; the step is in the past, so it is planned at once anyway.
dispatch:
  max_in_flight: ${dispatch.maxInFlight}
  lease: ${dispatch.lease}
  batch_size: ${dispatch.batchSize}
  send_timeout: ${dispatch.sendTimeoutMs}ms
  plan_ahead: 1s

policies:
  - id: chaos
    trigger: invoice
    when: { status: [open, partial], balance_gte: 1 }
    catch_up: latest
    steps:
      - { id: overdue, at: due+1d, to: client, via: [email], template: overdue-1 }
`,
  );
  return path;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const invoiceNumber = (i: number) => `INV-${String(i).padStart(6, '0')}`;

/** N open invoices due ten days ago, one account and one contact each. */
export async function writeInvoicesCsv(dir: string, n: number, now: number): Promise<string> {
  const path = join(dir, 'invoices.csv');
  const due = isoDay(now - 10 * 86_400_000);
  const issued = isoDay(now - 40 * 86_400_000);
  const out = createWriteStream(path);
  out.write(
    'account_id,account_name,invoice_number,amount,currency,issued_on,due_on,contact_id,contact_name,email,timezone\n',
  );
  for (let i = 0; i < n; i += 1) {
    const amount = `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`;
    const line = `acct-${i},Client ${i},${invoiceNumber(i)},${amount},USD,${issued},${due},ct-${i},Contact ${i},client${i}@example.com,UTC\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return path;
}

export interface DulyRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When the command returned (ms since the epoch). */
  returnedAt: number;
}

/** Runs `duly ...args` to the end (SIGKILLed after `timeoutMs`). */
export function runDuly(args: string[], env: Record<string, string>, timeoutMs: number): Promise<DulyRun> {
  const child = spawn(process.execPath, [DULY, ...args], {
    cwd: REPO,
    env: dulyEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, returnedAt: Date.now() });
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
