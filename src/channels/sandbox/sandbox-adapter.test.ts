import { describe, expect, it } from 'vitest';
import type { LocalMessageSink, RenderedMessage } from '../channel.ts';
import { sandboxAdapter } from './sandbox-adapter.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');

const message: RenderedMessage = {
  to: { name: 'Ana Lima', address: '+15550100' },
  subject: 'Invoice INV-1001 is overdue',
  text: 'Invoice INV-1001 is 3 days overdue.',
  html: null,
  headers: {},
  idempotencyKey: 'touch-1.c0',
  metadata: {
    tenantId: 't1',
    accountId: 'a1',
    touchIds: ['touch-1'],
    invoiceNumbers: ['INV-1001'],
    template: 'overdue-1',
  },
};

function memorySink() {
  const saved: { kind: string; channel: string; message: RenderedMessage; at: number }[] = [];
  const sink: LocalMessageSink = {
    async save(kind, channel, msg, at) {
      saved.push({ kind, channel, message: msg, at });
      return `msg-${saved.length}`;
    },
  };
  return { sink, saved };
}

describe('sandbox adapter', () => {
  it('records the message instead of sending it', async () => {
    const { sink, saved } = memorySink();
    const config = sandboxAdapter.parseConfig({ address: 'phone' }, 'sms');
    const sender = sandboxAdapter.open(config, { sink });

    const result = await sender.send(message, { now: NOW, signal: new AbortController().signal });

    expect(result).toEqual({ kind: 'sent', providerMessageId: 'msg-1' });
    expect(saved).toEqual([{ kind: 'sandbox', channel: 'sms', message, at: NOW }]);
  });

  it.each([
    [{}, 'email'],
    [{ address: 'phone' }, 'phone'],
    [{ address: 'whatsapp' }, 'whatsapp'],
    [{ address: 'telegram' }, 'telegram'],
  ])('delivers to the %o address kind', (options, kind) => {
    expect(sandboxAdapter.addressKind(sandboxAdapter.parseConfig(options, 'x'))).toBe(kind);
  });

  it('rejects an unknown address kind, naming the field', () => {
    expect(() => sandboxAdapter.parseConfig({ address: 'fax' }, 'x')).toThrow(
      expect.objectContaining({ code: 'invalid_config', place: { field: 'address' } }),
    );
  });
});
