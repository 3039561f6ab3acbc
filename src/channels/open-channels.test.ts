import { describe, expect, it } from 'vitest';
import { isProviderId, openChannels, validateChannelOptions } from './index.ts';

const sink = { save: async () => 'id-1' };

describe('openChannels', () => {
  it('opens every configured channel with its address kind and provider', async () => {
    const channels = openChannels(
      {
        email: { name: 'email', provider: 'sandbox', options: {} },
        portal: { name: 'portal', provider: 'in_app', options: {} },
        team: {
          name: 'team',
          provider: 'webhook',
          options: { url: 'https://x.example', secret: 'a'.repeat(16) },
        },
      },
      { sink },
    );
    expect([...channels].map(([name, c]) => [name, c.provider, c.addressKind])).toEqual([
      ['email', 'sandbox', 'email'],
      ['portal', 'in_app', null],
      ['team', 'webhook', null],
    ]);
    await Promise.all([...channels.values()].map((c) => c.sender.close()));
  });

  it('rejects an unknown provider, listing the known ones', () => {
    const attempt = () => validateChannelOptions('twillio', {}, 'sms');
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'invalid_config', place: { field: 'provider' } }),
    );
    expect(attempt).toThrow(/smtp, webhook, in_app, sandbox/);
  });

  it('knows its providers', () => {
    expect(isProviderId('smtp')).toBe(true);
    expect(isProviderId('toString')).toBe(false);
  });
});
