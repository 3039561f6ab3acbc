import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DulyError } from '../domain/errors.ts';
import { DEFAULT_CONFIG_PATH, findConfigPath, loadConfigFile, parseConfigText } from './load-config.ts';

const FILE = 'duly.yaml';
const env = { SMTP_URL: 'smtp://mail.test:25' };

/** A valid config; tests append or swap lines, so line numbers below are stable. */
const base = (steps: string, extra = '') => `timezone: America/New_York
channels:
  email: { provider: smtp, url: "\${SMTP_URL}" }
  sms: { provider: twilio }
team:
  - { id: ana, name: Ana Lopez, roles: [manager] }
${extra}policies:
  - id: standard-dunning
    steps:
${steps}`;
const step = '      - { id: upcoming, at: due-3d, to: client, via: [email], template: upcoming }\n';

function problemOf(text: string, environment: Record<string, string | undefined> = env): DulyError {
  try {
    parseConfigText(text, FILE, { env: environment });
  } catch (error) {
    if (error instanceof DulyError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('the shipped default config', () => {
  const config = loadConfigFile(DEFAULT_CONFIG_PATH, { env: {} });

  it('loads with the standard dunning policy and its 7 steps', () => {
    expect(config.timezone).toBe('America/New_York');
    expect(Object.keys(config.channels)).toEqual(['email', 'sms', 'in_app', 'team']);
    expect(config.channels.email).toEqual({
      name: 'email',
      provider: 'sandbox',
      options: { address: 'email' },
    });
    const [policy] = config.policies;
    expect(policy?.id).toBe('standard-dunning');
    expect(policy?.steps.map((s) => s.template)).toEqual([
      'upcoming',
      'due-today',
      'overdue-1',
      'overdue-2',
      'final-notice',
      'escalation',
      'still-open',
    ]);
    expect(policy?.steps.map((s) => s.at.days)).toEqual([-3, 0, 3, 7, 14, 21, 28]);
  });

  it('escalates to the team and managers above a per-currency balance, and nudges weekly until due+90d', () => {
    const steps = config.policies[0]?.steps ?? [];
    const escalation = steps.find((s) => s.id === 'escalation');
    expect(escalation?.to).toEqual([
      { audience: 'team', role: null },
      { audience: 'team', role: 'manager' },
    ]);
    expect(escalation?.sendTime).toBe(10 * 60);
    expect(escalation?.when?.balanceGte).toEqual({
      byCurrency: { USD: 500000, EUR: 450000, GBP: 400000 },
      any: null,
    });
    const nudge = steps.find((s) => s.id === 'still-open');
    expect(nudge).toMatchObject({ everyDays: 7, until: { anchor: 'due', days: 90 }, deliver: 'first' });
    expect(steps.find((s) => s.id === 'overdue-2')?.deliver).toBe('all');
  });
});

describe('defaults', () => {
  it('fills every optional setting', () => {
    const config = parseConfigText('policies: []\n', FILE, { env: {} });
    expect(config).toEqual({
      timezone: 'UTC',
      locale: 'en-US',
      currency: 'USD',
      sendTime: 540,
      businessDays: [1, 2, 3, 4, 5],
      holidays: { country: null, dates: [] },
      quietHours: null,
      publicUrl: 'http://127.0.0.1:3000',
      channels: {},
      team: [],
      retry: { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 21_600_000 },
      dispatch: {
        maxInFlight: 16,
        leaseMs: 300_000,
        batchSize: 500,
        sendTimeoutMs: 30_000,
        planAheadMs: 3_600_000,
      },
      policies: [],
    });
  });

  it('fills policy and step defaults, and reads durations, times and holidays', () => {
    const extra = `retry: { max_attempts: 3, base_delay: 500ms, max_delay: 1h30m }
quiet_hours: { from: "21:00", to: "8:00" }
holidays: { country: us-ny, dates: ["2026-12-24"] }
`;
    const config = parseConfigText(base(step, extra), FILE, { env });
    expect(config.retry).toEqual({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_400_000 });
    expect(config.quietHours).toEqual({ from: 1260, to: 480 });
    expect(config.holidays).toEqual({ country: 'US-NY', dates: ['2026-12-24'] });
    expect(config.policies[0]).toMatchObject({ name: 'standard-dunning', catchUp: 'latest', group: true });
    expect(config.policies[0]?.skipPreDueForAutoPay).toBe(true);
    expect(config.policies[0]?.steps[0]).toMatchObject({
      sendTime: null,
      deliver: 'first',
      when: null,
      everyDays: null,
    });
  });
});

describe('environment variables', () => {
  it('expands variables, uses a default when one is unset, and keeps $$ literal', () => {
    const extra = `public_url: "\${PUBLIC_URL:-https://pay.example.com/}"\n`;
    const text = base(step, extra).replace(
      'provider: twilio }',
      () => `provider: twilio, token: "a$\${b}-\${TOKEN}" }`,
    );
    const config = parseConfigText(text, FILE, { env: { ...env, TOKEN: 't0k' } });
    expect(config.channels.email?.options).toEqual({ url: 'smtp://mail.test:25' });
    expect(config.channels.sms?.options).toEqual({ token: `a\${b}-t0k` });
    expect(config.publicUrl).toBe('https://pay.example.com');
  });

  it('names the file, line and field of an unset variable', () => {
    const error = problemOf(base(step), {});
    expect(error.code).toBe('invalid_config');
    expect(error.place).toEqual({ file: FILE, line: 3, field: 'channels.email.url' });
    expect(error.message).toMatch(
      /^duly\.yaml:3: channels\.email\.url: environment variable SMTP_URL is not set/,
    );
    expect(String(error)).toBe(error.message);
  });
});

describe('problems name file, line and field', () => {
  it.each([
    [
      'a bad offset',
      base(step.replace('due-3d', 'due-3x')),
      'duly.yaml:10: policies[0].steps[0].at: "due-3x"',
    ],
    [
      'an unknown channel in via',
      base(step.replace('[email]', '[email, emial]')),
      'duly.yaml:10: policies[0].steps[0].via[1]: step "upcoming" uses channel "emial", which is not under channels; did you mean "email"?',
    ],
    [
      'a duplicate step id',
      base(step + step),
      'duly.yaml:11: policies[0].steps[1].id: "upcoming" is already',
    ],
    [
      'an unknown key, with a did-you-mean',
      base(step, 'bussiness_days: [mon, tue]\n'),
      'duly.yaml:7: bussiness_days: unknown key "bussiness_days"; did you mean "business_days"?',
    ],
    [
      'a bad time zone',
      base(step).replace('America/New_York', 'America/Nowhere'),
      'duly.yaml:1: timezone: "America/Nowhere"',
    ],
    [
      'a bad currency in balance_gte',
      base(step.replace(' }', ', when: { balance_gte: { USD: 10, XQQ: 5 } } }')),
      'duly.yaml:10: policies[0].steps[0].when.balance_gte.XQQ: "XQQ" is not an ISO 4217 currency code',
    ],
    [
      'every without until',
      base(step.replace(' }', ', every: 7d }')),
      'duly.yaml:10: policies[0].steps[0].every: needs until',
    ],
    [
      'until without every',
      base(step.replace(' }', ', until: due+9d }')),
      'duly.yaml:10: policies[0].steps[0].until: needs every',
    ],
    [
      'a repeat that is not whole days',
      base(step.replace(' }', ', every: 36h, until: due+9d }')),
      'duly.yaml:10: policies[0].steps[0].every: "36h" is not whole days',
    ],
    ['a YAML syntax error', base(step).replace('roles: [manager] }', 'roles: [manager }'), 'duly.yaml:6: '],
    [
      'a role nobody has',
      base(step.replace('to: client', 'to: role:legal')),
      'duly.yaml:10: policies[0].steps[0].to: step "upcoming" sends to role:legal',
    ],
    [
      'a bad duration',
      base(step, 'dispatch: { lease: 5 minutes }\n'),
      'duly.yaml:7: dispatch.lease: "5 minutes" is not a duration',
    ],
    [
      'an enum typo',
      base(step, '').replace('    steps:', '    catch_up: lates\n    steps:'),
      'duly.yaml:9: policies[0].catch_up: "lates" is not allowed here; did you mean "latest"?',
    ],
    [
      'a missing template',
      base(step.replace(', template: upcoming', '')),
      'duly.yaml:10: policies[0].steps[0].template: is required',
    ],
  ])('reports %s', (_name, text, prefix) => {
    const error = problemOf(text);
    expect(error.code).toBe('invalid_config');
    expect(error.message.startsWith(prefix), error.message).toBe(true);
    expect(error.place.file).toBe(FILE);
    expect(error.place.line).toBe(Number(/^duly\.yaml:(\d+):/.exec(prefix)?.[1]));
  });

  it('reports every problem at once, one per line, sorted, the first one in place', () => {
    const text = base(step.replace('due-3d', 'due-3x'), 'send_time: "25:00"\n').replace(
      'America/New_York',
      'Mars/Base',
    );
    const error = problemOf(text);
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(/^duly\.yaml:1: timezone: /),
      expect.stringMatching(/^duly\.yaml:7: send_time: "25:00" is not a time of day/),
      expect.stringMatching(/^duly\.yaml:11: policies\[0\]\.steps\[0\]\.at: /),
    ]);
    expect(error.place).toEqual({ file: FILE, line: 1, field: 'timezone' });
  });
});

describe('balance thresholds in minor units', () => {
  const thresholdOf = (value: string) => {
    const text = base(step.replace(' }', `, when: { balance_gte: ${value} } }`));
    return parseConfigText(text, FILE, { env }).policies[0]?.steps[0]?.when?.balanceGte;
  };

  it('converts per-currency amounts with each currency’s digits', () => {
    expect(thresholdOf('{ USD: 5000.25, JPY: 4500, BHD: 1.5, eur: "1,000" }')).toEqual({
      byCurrency: { USD: 500025, JPY: 4500, BHD: 1500, EUR: 100000 },
      any: null,
    });
  });

  it('reads a bare amount as that many major units of any currency', () => {
    const threshold = thresholdOf('12.5');
    expect(threshold?.any).toBe(1250);
    expect(threshold?.byCurrency.JPY).toBe(13);
    expect(threshold?.byCurrency.BHD).toBe(12500);
    expect(threshold?.byCurrency.USD).toBeUndefined();
  });

  it('rejects an amount with more decimals than the currency has', () => {
    expect(problemOf(base(step.replace(' }', ', when: { balance_lt: { JPY: 10.5 } } }'))).message).toMatch(
      /^duly\.yaml:10: policies\[0\]\.steps\[0\]\.when\.balance_lt\.JPY: "10\.5" has more than 0 decimal places/,
    );
  });
});

describe('channel validation by the provider adapter', () => {
  it('rethrows the adapter error with the full field and its line', () => {
    const validateChannel = (provider: string, options: Record<string, unknown>) => {
      if (provider === 'smtp' && !String(options.url).startsWith('smtps://')) {
        throw new DulyError('invalid_config', 'must start with smtps://', { field: 'url' });
      }
    };
    let error: unknown;
    try {
      parseConfigText(base(step), FILE, { env, validateChannel });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DulyError);
    expect((error as DulyError).place).toEqual({ file: FILE, line: 3, field: 'channels.email.url' });
    expect((error as DulyError).message).toBe('duly.yaml:3: channels.email.url: must start with smtps://');
  });
});

describe('finding and reading the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duly-config-'));

  it('prefers --config, then DULY_CONFIG, then ./duly.yaml, else null', () => {
    expect(findConfigPath(dir, undefined, {})).toBeNull();
    writeFileSync(join(dir, 'duly.yaml'), 'policies: []\n');
    expect(findConfigPath(dir, undefined, {})).toBe(join(dir, 'duly.yaml'));
    expect(findConfigPath(dir, undefined, { DULY_CONFIG: 'other.yaml' })).toBe(join(dir, 'other.yaml'));
    expect(findConfigPath(dir, '/etc/duly.yaml', { DULY_CONFIG: 'other.yaml' })).toBe('/etc/duly.yaml');
  });

  it('names the file it cannot read', () => {
    const path = join(dir, 'missing.yaml');
    expect(() => loadConfigFile(path, { env })).toThrow(
      expect.objectContaining({ code: 'invalid_config', place: { file: path } }),
    );
  });
});

describe('pathological files', () => {
  it.each([
    ['on one line', `policies:\n${'- '.repeat(5_000)}x\n`],
    [
      'over many lines',
      `policies:\n${Array.from({ length: 3_000 }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}x\n`,
    ],
    ['in flow style', `policies: ${'['.repeat(5_000)}\n`],
  ])('reports thousands of nesting levels (%s) as one clear problem, not a crash', (_name, text) => {
    expect(() => parseConfigText(text, 'deep.yaml', { env: {} })).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        message: expect.stringMatching(
          /^deep\.yaml:\d+: nested too deeply to read; a config never needs more than 64 levels$/,
        ),
      }),
    );
  });
});
