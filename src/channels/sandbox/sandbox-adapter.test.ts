import { describe, expect, it } from 'vitest';
import { memorySink, sampleMessage } from '../../../test/support/local-channel-fixtures.ts';
import { sandboxAdapter } from './sandbox-adapter.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');

const message = sampleMessage('+15550100');

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
