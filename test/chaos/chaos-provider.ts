import { createServer, type ServerResponse } from 'node:http';
import { verifyWebhookSignature } from '../../src/channels/webhook/webhook-signature.ts';
import { listenOnLoopback } from '../fakes/listen-on-loopback.ts';

/** One request the provider took on: a new message, or a replay of a key it already accepted. */
export interface AcceptedRequest {
  /** Arrival time on the provider's clock (ms since the epoch), once the body was read. */
  at: number;
  key: string;
  touchIds: string[];
  invoiceNumbers: string[];
  /** True when the key had been accepted before: the original answer was given again. */
  replay: boolean;
}

const RETRY_AFTER_MS = 1000;

export type Fault = 'rate_limited' | 'server_error' | 'slow' | 'dropped';

export interface ChaosProviderOptions {
  secret: string;
  /** Share of requests that fail in one of the four ways (0 turns failures off). */
  failureRate: number;
  /** Seeded random source in [0, 1). */
  random: () => number;
  /** How late a slow answer comes; past the client's send timeout. */
  slowMs: number;
}

export interface ChaosProvider {
  url: string;
  /** Every accepted request (new keys and replays), in order of arrival. */
  accepted: AcceptedRequest[];
  /** Raw receipts: every request whose body arrived, whatever happened to it next. */
  readonly received: number;
  /** Requests refused with 401 for a missing, stale or wrong signature. */
  readonly rejected: number;
  /** Distinct idempotency keys accepted. */
  readonly distinctKeys: number;
  readonly faults: Record<Fault, number>;
  /** Requests that came back sooner than the `Retry-After: 1` their key was answered with (950 ms slack). */
  readonly retryAfterViolations: { key: string; answeredAt: number; retriedAt: number }[];
  close(): Promise<void>;
}

interface StoredAnswer {
  status: number;
  body: string;
}

/**
 * A webhook provider that misbehaves like real ones do, on a free loopback port. It checks
 * `Duly-Signature` on its own clock (401 when wrong) and records what it accepts. About
 * `failureRate` of requests fail: 429 with `Retry-After: 1`, 500 with a JSON error body, a 200 that
 * comes after the client has given up (the message was accepted all the same), or a connection
 * dropped before any answer (not accepted). Like Stripe, it honours `Idempotency-Key`: a key it has
 * accepted gets the original answer again, and is not a second message.
 */
export async function startChaosProvider(options: ChaosProviderOptions): Promise<ChaosProvider> {
  const { secret, failureRate, random, slowMs } = options;
  const accepted: AcceptedRequest[] = [];
  const answers = new Map<string, StoredAnswer>();
  const faults: Record<Fault, number> = { rate_limited: 0, server_error: 0, slow: 0, dropped: 0 };
  const state = { received: 0, rejected: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const rateLimitedAt = new Map<string, number>();
  const retryAfterViolations: ChaosProvider['retryAfterViolations'] = [];

  // Rate limits and dropped connections happen before the idempotency layer; errors and slowness after.
  const pickFault = (): Fault | null => {
    const r = random();
    if (r >= failureRate) return null;
    const share = r / failureRate;
    if (share < 0.3) return 'rate_limited';
    if (share < 0.6) return 'server_error';
    if (share < 0.8) return 'slow';
    return 'dropped';
  };

  const reply = (res: ServerResponse, answer: StoredAnswer, extra: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...extra }).end(answer.body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      state.received += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const valid =
        req.method === 'POST' &&
        verifyWebhookSignature({
          secret,
          header: req.headers['duly-signature'] as string | undefined,
          timestamp: req.headers['duly-timestamp'] as string | undefined,
          body,
          now: at,
        });
      if (!valid) {
        state.rejected += 1;
        reply(res, { status: 401, body: JSON.stringify({ error: { message: 'bad signature' } }) });
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const limitedAt = rateLimitedAt.get(key);
      if (limitedAt !== undefined) {
        rateLimitedAt.delete(key);
        if (at - limitedAt < RETRY_AFTER_MS - 50)
          retryAfterViolations.push({ key, answeredAt: limitedAt, retriedAt: at });
      }
      const fault = pickFault();
      if (fault === 'dropped') {
        faults.dropped += 1;
        req.socket.destroy();
        return;
      }
      if (fault === 'rate_limited') {
        faults.rate_limited += 1;
        reply(
          res,
          { status: 429, body: JSON.stringify({ error: { message: 'slow down' } }) },
          { 'Retry-After': '1' },
        );
        return;
      }
      const metadata = readMetadata(body);
      const original = key ? answers.get(key) : undefined;
      if (original) {
        accepted.push({ at, key, ...metadata, replay: true });
        reply(res, original, { 'Idempotent-Replayed': 'true' });
        return;
      }
      if (fault === 'server_error') {
        faults.server_error += 1;
        reply(res, { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: 'oops' } }) });
        return;
      }
      const answer = { status: 200, body: JSON.stringify({ id: `msg_${accepted.length + 1}` }) };
      if (key) answers.set(key, answer);
      accepted.push({ at, key, ...metadata, replay: false });
      if (fault === 'slow') {
        faults.slow += 1;
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply(res, answer);
        }, slowMs);
        timers.add(timer);
        return;
      }
      reply(res, answer);
    });
  });
  const base = await listenOnLoopback(server);
  return {
    url: `${base}/hooks/duly`,
    accepted,
    get received() {
      return state.received;
    },
    get rejected() {
      return state.rejected;
    },
    get distinctKeys() {
      return answers.size;
    },
    faults,
    retryAfterViolations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readMetadata(body: string): { touchIds: string[]; invoiceNumbers: string[] } {
  try {
    const parsed = JSON.parse(body) as { metadata?: { touchIds?: unknown; invoiceNumbers?: unknown } };
    const list = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v)) : []);
    return {
      touchIds: list(parsed.metadata?.touchIds),
      invoiceNumbers: list(parsed.metadata?.invoiceNumbers),
    };
  } catch {
    return { touchIds: [], invoiceNumbers: [] };
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same chaos schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
