import { describe, expect, it } from 'vitest';
import type { LocalMessageSink, RenderedMessage } from '../channel.ts';
import { inAppAdapter } from './in-app-adapter.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');

const message: RenderedMessage = {
  to: { name: 'Ana Lima', address: '' },
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

describe('in-app adapter', () => {
  it('saves the message in the sink under its channel name and reports the stored id', async () => {
    const { sink, saved } = memorySink();
    const config = inAppAdapter.parseConfig({}, 'portal');
    const sender = inAppAdapter.open(config, { sink });

    const result = await sender.send(message, { now: NOW, signal: new AbortController().signal });

    expect(result).toEqual({ kind: 'sent', providerMessageId: 'msg-1' });
    expect(saved).toEqual([{ kind: 'in_app', channel: 'portal', message, at: NOW }]);
    expect(inAppAdapter.addressKind(config)).toBeNull();
  });

  it('asks for a retry when the store cannot save, without quoting the store error', async () => {
    const sink: LocalMessageSink = {
      save: async () => {
        throw new Error('UNIQUE constraint failed: ana@client.example');
      },
    };
    const sender = inAppAdapter.open(inAppAdapter.parseConfig({}, 'portal'), { sink });
    const result = await sender.send(message, { now: NOW, signal: new AbortController().signal });
    expect(result).toEqual({ kind: 'retry', reason: 'could not store the message (Error)' });
  });

  it('takes no options', () => {
    expect(() => inAppAdapter.parseConfig({ url: 'x' }, 'portal')).toThrow(
      expect.objectContaining({ code: 'invalid_config', place: { field: 'url' } }),
    );
  });
});
