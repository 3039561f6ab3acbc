import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpInbox, startSmtpInbox } from '../../../test/fakes/smtp-inbox.ts';
import type { ChannelSender, RenderedMessage, SendContext } from '../channel.ts';
import { messageIdFor, smtpAdapter } from './smtp-adapter.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');
const PASSWORD = 's3cret-Pa55word';
const UNSUBSCRIBE = 'https://duly.example.com/u/tok_123';

const message: RenderedMessage = {
  to: { name: 'Ana Lima', address: 'ana@client.example' },
  subject: 'Invoice INV-1001 is overdue',
  text: `Hello Ana,\n\nInvoice INV-1001 is 3 days overdue.\n\nUnsubscribe: ${UNSUBSCRIBE}`,
  html: '<p>Hello Ana,</p><p>Invoice INV-1001 is 3 days overdue.</p>',
  headers: { 'List-Unsubscribe': `<${UNSUBSCRIBE}>` },
  idempotencyKey: 'touch-7f3a.c1',
  metadata: {
    tenantId: 't1',
    accountId: 'a1',
    touchIds: ['touch-7f3a'],
    subjectKind: 'invoice',
    subjectIds: ['i1'],
    invoiceNumbers: ['INV-1001'],
    template: 'overdue-1',
  },
};

const ctx = (signal = new AbortController().signal): SendContext => ({ now: NOW, signal });

let inbox: SmtpInbox | null = null;
let sender: ChannelSender | null = null;
afterEach(async () => {
  await sender?.close();
  await inbox?.close();
  sender = null;
  inbox = null;
});

function openTo(port: number): ChannelSender {
  const config = smtpAdapter.parseConfig(
    { url: `smtp://billing:${PASSWORD}@127.0.0.1:${port}`, from: 'Acme Billing <billing@acme.example>' },
    'email',
  );
  return smtpAdapter.open(config, { sink: { save: async () => 'unused' } });
}

describe('smtp adapter: sending', () => {
  it('delivers text and html with the unsubscribe headers and a deterministic Message-ID', async () => {
    inbox = await startSmtpInbox({ credentials: { user: 'billing', password: PASSWORD } });
    sender = openTo(inbox.port);

    const result = await sender.send(message, ctx());

    const expectedId = messageIdFor(message.idempotencyKey, 'acme.example');
    expect(result).toEqual({ kind: 'sent', providerMessageId: expectedId });
    expect(inbox.received).toHaveLength(1);
    const [mail] = inbox.received;
    expect(mail?.user).toBe('billing');
    expect(mail?.envelope).toEqual({ from: 'billing@acme.example', to: ['ana@client.example'] });
    const parsed = mail?.parsed;
    expect(parsed?.to && !Array.isArray(parsed.to) ? parsed.to.value : null).toEqual([
      { name: 'Ana Lima', address: 'ana@client.example' },
    ]);
    expect(parsed?.subject).toBe(message.subject);
    expect(parsed?.messageId).toBe(expectedId);
    expect(parsed?.text?.trim()).toBe(message.text);
    expect(parsed?.html).toContain('<p>Invoice INV-1001 is 3 days overdue.</p>');
    expect(parsed?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(
      `List-Unsubscribe: <${UNSUBSCRIBE}>`,
    );
    expect(parsed?.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
  });

  it('gives up when the server rejects the recipient with 550, without leaking the password', async () => {
    inbox = await startSmtpInbox({ rejectRecipient: 550 });
    sender = openTo(inbox.port);

    const result = await sender.send(message, ctx());

    expect(result).toMatchObject({ kind: 'failed', field: 'to' });
    const reason = result.kind === 'failed' ? result.reason : '';
    expect(reason).toContain('550');
    expect(reason).not.toContain(PASSWORD);
    expect(reason).not.toContain('ana@');
    expect(inbox.received).toHaveLength(0);
  });

  it('retries when the server answers 451 (try again later)', async () => {
    inbox = await startSmtpInbox({ rejectRecipient: 451 });
    sender = openTo(inbox.port);

    const result = await sender.send(message, ctx());

    expect(result).toMatchObject({ kind: 'retry' });
    expect(result.kind === 'retry' && result.reason).toContain('451');
  });

  it('retries when nothing listens on the port', async () => {
    sender = openTo(await closedPort());

    const result = await sender.send(message, ctx());

    expect(result).toMatchObject({ kind: 'retry' });
    expect(result.kind === 'retry' && result.reason).toMatch(/ECONNREFUSED/);
  });

  it('retries without sending when the send was already aborted', async () => {
    inbox = await startSmtpInbox();
    sender = openTo(inbox.port);
    const controller = new AbortController();
    controller.abort();

    const result = await sender.send(message, ctx(controller.signal));

    expect(result.kind).toBe('retry');
    expect(inbox.received).toHaveLength(0);
  });
});

describe('smtp adapter: config', () => {
  it('keeps the password out of logs', () => {
    const config = smtpAdapter.parseConfig(
      { url: `smtps://billing:${PASSWORD}@smtp.example.com`, from: 'billing@acme.example' },
      'email',
    );
    expect(config).toMatchObject({ host: 'smtp.example.com', port: 465, secure: true, user: 'billing' });
    expect(config.password?.reveal()).toBe(PASSWORD);
    expect(JSON.stringify(config)).not.toContain(PASSWORD);
    expect(inspect(config)).not.toContain(PASSWORD);
    expect(smtpAdapter.addressKind(config)).toBe('email');
  });

  it('accepts host, port and credentials as separate options', () => {
    const config = smtpAdapter.parseConfig(
      {
        host: 'mail.example.com',
        port: '2525',
        user: 'u',
        password: 'p',
        from: 'a@b.example',
        reply_to: 'c@b.example',
      },
      'email',
    );
    expect(config).toMatchObject({
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      replyTo: 'c@b.example',
    });
  });

  it.each([
    ['no from', { url: 'smtp://mail.example.com' }, 'from'],
    ['a from that is not an address', { url: 'smtp://mail.example.com', from: 'billing' }, 'from'],
    ['neither url nor host', { from: 'a@b.example' }, 'url'],
    ['an http url', { url: `http://u:${PASSWORD}@mail.example.com`, from: 'a@b.example' }, 'url'],
    ['url and host together', { url: 'smtp://mail.example.com', host: 'x', from: 'a@b.example' }, 'host'],
    ['a user without a password', { host: 'mail.example.com', user: 'u', from: 'a@b.example' }, 'password'],
    ['a port out of range', { host: 'mail.example.com', port: 70000, from: 'a@b.example' }, 'port'],
    ['an unknown option', { url: 'smtp://mail.example.com', from: 'a@b.example', replyto: 'x' }, 'replyto'],
  ])('rejects %s, naming the field', (_name, options, field) => {
    const attempt = () => smtpAdapter.parseConfig(options, 'email');
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_config', place: { field } }));
    expect(attempt).toThrow(expect.not.objectContaining({ message: expect.stringContaining(PASSWORD) }));
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}
