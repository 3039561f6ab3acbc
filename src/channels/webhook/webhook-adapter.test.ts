import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelSender, RenderedMessage, SendContext } from '../channel.ts';
import { webhookAdapter } from './webhook-adapter.ts';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');
const SECRET = 'whsec_0123456789abcdef';

const message: RenderedMessage = {
  to: { name: 'Finance team', address: '' },
  subject: 'Escalation: Globex owes 2 invoices',
  text: 'Globex is 21 days overdue on INV-1001 and INV-1002.',
  html: null,
  headers: {},
  idempotencyKey: 'touch-9b2.c0',
  metadata: {
    tenantId: 't1',
    accountId: 'a1',
    touchIds: ['touch-9b2'],
    subjectKind: 'invoice',
    subjectIds: ['i1'],
    invoiceNumbers: ['INV-1001'],
    template: 'escalation',
  },
};

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

type Reply = (res: ServerResponse) => void;

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** A receiver as a customer would write it: it verifies the signature, records the body, then answers. */
async function startReceiver(reply: Reply): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureValid = verifyWebhookSignature({
        secret: SECRET,
        header: req.headers['duly-signature'] as string | undefined,
        timestamp: req.headers['duly-timestamp'] as string | undefined,
        body,
        now: NOW + 2_000,
      });
      received.push({ headers: req.headers, body, signatureValid });
      if (!signatureValid) {
        res.writeHead(401).end('bad signature');
        return;
      }
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/duly?token=tok_abc`, received };
}

function open(url: string): ChannelSender {
  const config = webhookAdapter.parseConfig(
    { url, secret: SECRET, headers: { 'X-Api-Key': 'k-123' } },
    'team',
  );
  return webhookAdapter.open(config, { sink: { save: async () => 'unused' } });
}

const ctx = (signal = new AbortController().signal): SendContext => ({ now: NOW, signal });

describe('webhook adapter: sending', () => {
  it('posts the signed JSON body and uses the id the receiver returns', async () => {
    const { url, received } = await startReceiver((res) =>
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"id":"evt_42"}'),
    );

    const result = await open(url).send(message, ctx());

    expect(result).toEqual({ kind: 'sent', providerMessageId: 'evt_42' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.signatureValid).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe(message.idempotencyKey);
    expect(request?.headers['duly-timestamp']).toBe(String(NOW / 1000));
    expect(request?.headers['x-api-key']).toBe('k-123');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id: message.idempotencyKey,
      type: 'duly.message',
      created_at: '2026-03-10T14:00:00.000Z',
      to: message.to,
      subject: message.subject,
      text: message.text,
      metadata: message.metadata,
    });
  });

  it('falls back to the idempotency key when the receiver returns no id', async () => {
    const { url } = await startReceiver((res) => res.writeHead(204).end());
    expect(await open(url).send(message, ctx())).toEqual({
      kind: 'sent',
      providerMessageId: message.idempotencyKey,
    });
  });

  it('retries after the Retry-After seconds on 429', async () => {
    const { url } = await startReceiver((res) => res.writeHead(429, { 'Retry-After': '7' }).end('slow down'));
    expect(await open(url).send(message, ctx())).toMatchObject({ kind: 'retry', afterMs: 7000 });
  });

  it('reads a Retry-After HTTP-date relative to now', async () => {
    const at = new Date(NOW + 90_000).toUTCString();
    const { url } = await startReceiver((res) => res.writeHead(429, { 'Retry-After': at }).end());
    expect(await open(url).send(message, ctx())).toMatchObject({ kind: 'retry', afterMs: 90_000 });
  });

  it('retries on 500', async () => {
    const { url } = await startReceiver((res) => res.writeHead(500).end('database down'));
    expect(await open(url).send(message, ctx())).toEqual({
      kind: 'retry',
      reason: 'webhook answered 500: database down',
    });
  });

  it('gives up on 400 with the status and an excerpt of the body', async () => {
    const { url } = await startReceiver((res) =>
      res.writeHead(400).end(`{"error":"unknown field ${'x'.repeat(400)}"}`),
    );
    const result = await open(url).send(message, ctx());
    expect(result.kind).toBe('failed');
    const reason = result.kind === 'failed' ? result.reason : '';
    expect(reason).toMatch(/^webhook answered 400: \{"error":"unknown field x+\.\.\.$/);
    expect(reason.length).toBeLessThan(250);
  });

  it('retries when the receiver is slower than the send timeout', async () => {
    const { url, received } = await startReceiver((res) => setTimeout(() => res.writeHead(200).end(), 2_000));
    const result = await open(url).send(message, ctx(AbortSignal.timeout(200)));
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringContaining('timed out') });
    expect(received).toHaveLength(1);
  });

  it('retries when nothing listens', async () => {
    const { url } = await startReceiver((res) => res.end());
    server?.close();
    const result = await open(url).send(message, ctx());
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"x"}';
  const timestamp = NOW / 1000;
  const header = signWebhookBody(SECRET, timestamp, body);

  it.each([
    ['the right secret and a fresh timestamp', { secret: SECRET, now: NOW }, true],
    ['a second signature during secret rotation', { header: `v1=00ff, ${header}`, now: NOW }, true],
    ['another secret', { secret: 'another-secret-of-length', now: NOW }, false],
    ['a changed body', { body: '{"id":"y"}', now: NOW }, false],
    ['a timestamp older than five minutes', { now: NOW + 301_000 }, false],
    ['no signature', { header: null, now: NOW }, false],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(verifyWebhookSignature({ secret: SECRET, header, timestamp, body, ...overrides })).toBe(expected);
  });
});

describe('webhook adapter: config', () => {
  it('keeps the url, secret and headers out of logs', () => {
    const config = webhookAdapter.parseConfig(
      {
        url: 'https://hooks.example.com/x?token=tok_abc',
        secret: SECRET,
        headers: { Authorization: 'Bearer b-1' },
      },
      'team',
    );
    const printed = `${JSON.stringify(config)} ${inspect(config)}`;
    for (const secret of ['tok_abc', SECRET, 'b-1']) expect(printed).not.toContain(secret);
    expect(webhookAdapter.addressKind(config)).toBeNull();
  });

  it.each([
    ['no url', { secret: SECRET }, 'url'],
    ['an ftp url', { url: 'ftp://x.example', secret: SECRET }, 'url'],
    ['no secret', { url: 'https://x.example' }, 'secret'],
    ['a short secret', { url: 'https://x.example', secret: 'short' }, 'secret'],
    [
      'a header Duly sets',
      { url: 'https://x.example', secret: SECRET, headers: { 'Duly-Signature': 'x' } },
      'headers.Duly-Signature',
    ],
    ['headers as a list', { url: 'https://x.example', secret: SECRET, headers: ['a'] }, 'headers'],
  ])('rejects %s, naming the field', (_name, options, field) => {
    expect(() => webhookAdapter.parseConfig(options, 'team')).toThrow(
      expect.objectContaining({ code: 'invalid_config', place: { field } }),
    );
  });
});
