import { createServer, type IncomingHttpHeaders } from 'node:http';
import { verifyWebhookSignature } from '../../src/channels/webhook/webhook-signature.ts';
import { listenOnLoopback } from './listen-on-loopback.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface WebhookReceiver {
  url: string;
  /** Every correctly signed request, recorded on arrival (before it is answered). */
  received: ReceivedWebhook[];
  /** Requests refused for a missing or wrong `Duly-Signature`. */
  rejected: number;
  /** Requests whose body has arrived and whose answer has not been sent yet. */
  inFlight: number;
  /** How the next requests are answered: after `delayMs`, with `status` (default 200, `{ id }`). */
  answer(options: { delayMs?: number; status?: number }): void;
  close(): Promise<void>;
}

/**
 * A webhook endpoint as a customer would write one, on a free loopback port: it checks the
 * `Duly-Signature` header against the raw body and the secret (401 when wrong), records what it
 * received and answers with the configured status, slowly if told to.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  let delayMs = 0;
  let status = 200;
  const state = { rejected: 0, inFlight: 0 };
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const valid =
        req.method === 'POST' &&
        verifyWebhookSignature({
          secret,
          header: req.headers['duly-signature'] as string | undefined,
          timestamp: req.headers['duly-timestamp'] as string | undefined,
          body,
          // A receiver's check runs on the receiver's own clock.
          now: Date.now(),
        });
      if (!valid) {
        state.rejected += 1;
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end('bad signature');
        return;
      }
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      const id = `wh_${received.length}`;
      const answerStatus = status;
      state.inFlight += 1;
      setTimeout(() => {
        state.inFlight -= 1;
        res.writeHead(answerStatus, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id }));
      }, delayMs);
    });
  });
  const base = await listenOnLoopback(server);
  return {
    url: `${base}/hooks/duly`,
    received,
    get rejected() {
      return state.rejected;
    },
    get inFlight() {
      return state.inFlight;
    },
    answer(options) {
      delayMs = options.delayMs ?? 0;
      status = options.status ?? 200;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
