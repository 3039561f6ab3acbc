import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { createWorkspace, jsonLines, type ServeProcess, type Workspace } from '../support/cli-runner.ts';

const POLICY = `policies:
  - id: dunning
    when: { status: [open, partial], balance_gte: 1 }
    steps:
      - { id: upcoming, at: due-3d, to: client, via: [email], template: upcoming }
      - { id: due-today, at: due, to: client, via: [email], template: due-today }
`;

/** Every hour of every day may send, so what the scheduler does never depends on when the suite runs. */
const settings = (sendTime: string) => `timezone: UTC
business_days: [mon, tue, wed, thu, fri, sat, sun]
send_time: "${sendTime}"
public_url: http://127.0.0.1:3999
`;

const HEADER =
  'account_id,account_name,contact_name,email,timezone,invoice_number,amount,currency,issued_on,due_on';
const INVOICES = `${HEADER}
acme,Acme Plumbing,Jane Doe,jane@acme.example,UTC,INV-1,1200.00,USD,2026-02-14,2026-03-16
globex,Globex,Hank Scorpio,hank@globex.example,UTC,INV-2,300.00,USD,2026-03-01,2026-04-30
`;

async function setUp(w: Workspace, ...commands: string[][]) {
  for (const args of commands) {
    const result = await w.run(args);
    if (result.code !== 0) throw new Error(`duly ${args.join(' ')} failed: ${result.stderr}`);
  }
}

function postEvent(serve: ServeProcess, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${serve.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('duly serve', () => {
  let w: Workspace;
  let serve: ServeProcess;
  beforeAll(async () => {
    w = await createWorkspace(`${settings('09:00')}channels:
  email: { provider: sandbox, address: email }
${POLICY}`);
    await w.write('invoices.csv', INVOICES);
    // A sandbox reminder to Jane, sent before the server starts: it carries her unsubscribe link.
    await setUp(w, ['import', 'invoices.csv'], ['tick', '--now', '2026-03-13T09:00:00Z']);
    serve = await w.serve(['--tick-seconds', '60']);
  });
  afterAll(async () => {
    const stopped = await serve?.stop();
    await w?.remove();
    expect(stopped).toMatchObject({ code: 0, signal: null });
  });

  it('should answer /health and expose Prometheus metrics once it has ticked', async () => {
    const health = await fetch(`${serve.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // The scheduler ticks as it starts; the histogram counts that tick.
    await vi.waitFor(
      async () => {
        const metrics = await fetch(`${serve.url}/metrics`);
        expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
        const text = await metrics.text();
        expect(text).toContain('# TYPE duly_tick_duration_seconds histogram');
        expect(text).toMatch(/^duly_tick_duration_seconds_count [1-9]/m);
      },
      { timeout: 5_000, interval: 100 },
    );
  });

  it('should record a payment event once, however often it is delivered', async () => {
    const event = {
      id: 'evt_pay_1',
      type: 'payment.succeeded',
      source: 'bank',
      data: { invoice_number: 'INV-2', amount: '100.00' },
    };

    const first = await postEvent(serve, event);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false });

    const replay = await postEvent(serve, event);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ accepted: true, duplicate: true });

    const db = w.openDb();
    const payments = db.prepare(`select amount, source from payments where external_id = 'evt_pay_1'`).all();
    const invoice = db.prepare(`select balance, status from invoices where number = 'INV-2'`).get();
    db.close();
    expect(payments).toEqual([{ amount: 10_000, source: 'bank' }]);
    expect(invoice).toEqual({ balance: 20_000, status: 'partial' });
  });

  it('should refuse a bad event with a 400 naming the field, and an unknown invoice with a 404', async () => {
    const invalid = await postEvent(serve, {
      id: 'evt_2',
      type: 'payment.maybe',
      data: { invoice_number: 'INV-2' },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('type must be one of'),
        field: 'type',
      },
    });

    const malformed = await postEvent(serve, '{"id": "evt_3", "type":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_input' } });

    const unknown = await postEvent(serve, {
      id: 'evt_4',
      type: 'invoice.paid',
      data: { invoice_number: 'INV-404' },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'not_found', message: 'no invoice numbered "INV-404"', field: 'data.invoice_number' },
    });
    // Not stored: once the invoice is imported, the source's retry of the same event must take effect.
    const db = w.openDb();
    const stored = db.prepare(`select count(*) as n from events where event_id = 'evt_4'`).get();
    db.close();
    expect(stored).toEqual({ n: 0 });
  });

  it('should opt the contact out through the link in a sent message, and refuse a forged link', async () => {
    const db = w.openDb();
    const message = db
      .prepare(`select headers from local_messages where recipient_address = ?`)
      .get('jane@acme.example') as { headers: string };
    const headers = JSON.parse(message.headers) as Record<string, string>;
    const link = /^<(http:\/\/127\.0\.0\.1:3999(\/unsubscribe\/([^.>]+)\.([^>]+)))>$/.exec(
      headers['List-Unsubscribe'] ?? '',
    );
    expect(link, headers['List-Unsubscribe']).not.toBeNull();
    const [, , path = '', payload = '', signature = ''] = link ?? [];

    // Another contact's id under Jane's signature.
    const otherPayload = Buffer.from(JSON.stringify(['default', 'globex:someone', 'email'])).toString(
      'base64url',
    );
    for (const forged of [`${payload}.${signature.slice(1)}A`, `${otherPayload}.${signature}`]) {
      const refused = await fetch(`${serve.url}/unsubscribe/${forged}`);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect(db.prepare(`select opt_outs from contacts where email = 'jane@acme.example'`).get()).toEqual({
      opt_outs: '[]',
    });

    // Opening the link (as a mail scanner would) changes nothing: it asks for confirmation.
    const page = await fetch(`${serve.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain(
      '<form method="post"><button type="submit">Unsubscribe</button></form>',
    );
    expect(db.prepare(`select opt_outs from contacts where email = 'jane@acme.example'`).get()).toEqual({
      opt_outs: '[]',
    });
    // A mail client's one-click unsubscribe (RFC 8058) is the POST.
    const oneClick = await fetch(`${serve.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You will no longer receive email reminders');
    expect(db.prepare(`select opt_outs from contacts where email = 'jane@acme.example'`).get()).toEqual({
      opt_outs: '["email"]',
    });
    db.close();
  });
});

describe('duly serve with DULY_API_KEY', () => {
  let w: Workspace;
  let serve: ServeProcess;
  beforeAll(async () => {
    w = await createWorkspace(settings('09:00'));
    serve = await w.serve([], { DULY_API_KEY: 'k_live_0123456789' });
  });
  afterAll(async () => {
    await serve?.stop();
    await w?.remove();
  });

  it('should refuse events without the bearer key', async () => {
    const event = { id: 'evt_1', type: 'invoice.paid', data: { invoice_number: 'INV-1' } };
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'k_live_0123456789' },
    ];
    for (const headers of attempts) {
      const refused = await postEvent(serve, event, headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    // With the key the event gets through to the use case, which knows no such invoice.
    const allowed = await postEvent(serve, event, { authorization: 'Bearer k_live_0123456789' });
    expect(allowed.status).toBe(404);
  });
});

describe('duly serve on SIGTERM, and its roles', () => {
  const SECRET = 'whsec_test_0123456789abcdef';
  let receiver: WebhookReceiver;
  let w: Workspace;
  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
  });
  afterEach(async () => {
    await w?.remove();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  /**
   * Email through the webhook receiver, and one invoice due today. Sends go out from 00:00 UTC, so its
   * due-date reminder is due right now (by the real clock: the test is the edge where real time comes in).
   */
  async function workspaceWithInvoiceDueToday(invoiceNumber: string): Promise<Workspace> {
    const today = new Date().toISOString().slice(0, 10);
    const workspace = await createWorkspace(`${settings('00:00')}channels:
  email: { provider: webhook, url: "${receiver.url}", secret: ${SECRET} }
${POLICY}`);
    await workspace.write(
      'due-today.csv',
      `${HEADER}\nacme,Acme Plumbing,Jane Doe,jane@acme.example,UTC,${invoiceNumber},450.00,USD,${today},${today}\n`,
    );
    await setUp(workspace, ['import', 'due-today.csv']);
    return workspace;
  }

  it('should finish the send in flight, record it as sent and exit 0', async () => {
    w = await workspaceWithInvoiceDueToday('INV-9');
    receiver.answer({ delayMs: 1_500 });

    const serve = await w.serve(['--tick-seconds', '1']);
    await vi.waitFor(() => expect(receiver.inFlight).toBe(1), { timeout: 10_000, interval: 20 });
    const stopped = await serve.stop('SIGTERM');

    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('SIGTERM: finishing in-flight sends');
    expect(stopped.stderr).toMatch(/stopped\n$/);
    expect(receiver.inFlight).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.json).toMatchObject({
      type: 'duly.message',
      metadata: { invoiceNumbers: ['INV-9'], template: 'due-today' },
    });

    const outbox = await w.run(['outbox', '--json']);
    expect(jsonLines(outbox.stdout)).toEqual([
      expect.objectContaining({ invoice: 'INV-9', step: 'due-today', state: 'sent', attempts: 1 }),
    ]);
    const verified = await w.run(['audit', 'verify']);
    expect(verified.code).toBe(0);
  });

  it('should send nothing from --role api, and send from --role worker', async () => {
    w = await workspaceWithInvoiceDueToday('INV-7');
    receiver.answer({ delayMs: 0 });
    const before = receiver.received.length;

    const api = await w.serve(['--role', 'api', '--tick-seconds', '1']);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.received.length).toBe(before);
    expect((await api.stop()).code).toBe(0);

    const worker = await w.serve(['--role', 'worker', '--tick-seconds', '1']);
    expect(worker.url).toBe('');
    await vi.waitFor(() => expect(receiver.received.length).toBe(before + 1), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await worker.stop()).code).toBe(0);
  });
});
