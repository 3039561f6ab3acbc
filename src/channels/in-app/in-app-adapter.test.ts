import { describe, expect, it } from 'vitest';
import { memorySink, sampleMessage } from '../../../test/support/local-channel-fixtures.ts';
import type { LocalMessageSink } from '../channel.ts';
import { inAppAdapter } from './in-app-adapter.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');

const message = sampleMessage('');

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
