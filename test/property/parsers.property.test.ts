import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateChannelOptions } from '../../src/channels/index.ts';
import { DEFAULT_CONFIG_PATH, parseConfigText } from '../../src/config/load-config.ts';
import { DulyError } from '../../src/domain/errors.ts';
import { parseImportText } from '../../src/engine/import/parse-import-file.ts';
import { GenericEvent, ingestEvent } from '../../src/engine/ingest-event.ts';
import { parseInput } from '../../src/engine/parse-input.ts';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import {
  defaultTestConfig,
  openTestEngine,
  seedInvoice,
  type TestEngine,
} from '../support/engine-harness.ts';

/**
 * Every parser of outside input, fed random and mutated text: valid samples with characters deleted,
 * duplicated or inserted (any unicode), lines swapped, numbers made huge, structures nested deep. None
 * may throw anything but a DulyError, and every DulyError says where: a line or a field. Seeded: on
 * failure fast-check prints the seed and path to replay.
 */

const RUNS = { numRuns: Number(process.env.DULY_PROPERTY_RUNS) || 200 };

// --------------------------------------------------------------------------------------------- samples

const CSV_SAMPLE = [
  'account_id,account_name,invoice_number,amount,balance,currency,issued_on,due_on,email,phone,tags,status,disputed,timezone,locale,contact_id',
  'acme,"Acme, Inc.",INV-1,"1,234.50",100,USD,2026-03-01,2026-03-31,ann@acme.test,+1 555 010 0199,vip;net30,open,no,America/New_York,en-US,',
  'zen,"Zen',
  'Ltd",INV-2,1000,JPY,0,2026-03-01,2026-03-01,,,,paid,,Asia/Tokyo,ja-JP,c-9',
  'zen;Zen;INV-3;5;;EUR;2026-03-01;2026-04-01;z@zen.test;;;partial;yes;;;',
].join('\n');

const JSON_SAMPLE = JSON.stringify(
  {
    invoices: [
      {
        account_id: 'acme',
        account_name: 'Acme',
        invoice_number: 'INV-1',
        amount: '1234.50',
        currency: 'USD',
        issued_on: '2026-03-01',
        due_on: '2026-03-31',
        email: 'ann@acme.test',
        tags: ['vip', 'net30'],
        disputed: false,
      },
      { account_id: 'zen', account_name: 'Zen', invoice_number: 'INV-2', amount: 1000, currency: 'JPY' },
    ],
  },
  null,
  2,
);

const YAML_SAMPLE = `${readFileSync(DEFAULT_CONFIG_PATH, 'utf8')}
holidays: { country: US, dates: [2026-12-24] }
quiet_hours: { from: "21:00", to: "08:00" }
`.replace('holidays: { country: US }\n', '');

const EVENT_SAMPLE = JSON.stringify({
  id: 'evt-1',
  type: 'payment.succeeded',
  source: 'stripe',
  occurred_at: '2026-03-10T09:00:00Z',
  data: { invoice_number: 'INV-1', amount: '12.50' },
});

// ------------------------------------------------------------------------------------------- mutations

const HUGE = ['1e309', '-1e309', '99999999999999999999999999', '1.7976931348623157e308', '0x7fffffff', 'NaN'];
const PIECES = [
  ',',
  ';',
  '\t',
  '"',
  "'",
  '\n',
  '\r\n',
  '\r',
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '#',
  '&a ',
  '*a',
  '!!binary ',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a `${VAR}` reference, as duly.yaml writes one
  '${X}',
  '$${',
  '\u0000',
  '\uFEFF',
  '\u2028',
  '\uD800',
  '😀',
  'é',
  '__proto__',
  '"__proto__": {}',
  'constructor',
  '---\n',
  '...\n',
  '<<: *a',
];
const deepNesting = (maxDepth: number) =>
  fc
    .tuple(fc.integer({ min: 10, max: maxDepth }), fc.constantFrom('[', '{"a":', '- ', '  '))
    .map(([depth, open]) => open.repeat(depth));

const insertion = (maxDepth: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom(...PIECES),
    fc.constantFrom(...HUGE),
    deepNesting(maxDepth),
  );

type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge-number'; which: number; text: string };

const at = fc.nat();
const mutation = (maxDepth: number) =>
  fc.oneof(
    fc.record({ kind: fc.constantFrom('delete', 'duplicate'), at, length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant('insert'), at, text: insertion(maxDepth) }),
    fc.record({ kind: fc.constant('swap-lines'), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('truncate'), at }),
    fc.record({ kind: fc.constant('huge-number'), which: fc.nat(), text: fc.constantFrom(...HUGE) }),
  ) as fc.Arbitrary<Mutation>;

function mutate(text: string, m: Mutation): string {
  const pos = (n: number) => n % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, pos(m.at)) + text.slice(pos(m.at) + m.length);
    case 'duplicate':
      return text.slice(0, pos(m.at) + m.length) + text.slice(pos(m.at));
    case 'insert':
      return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'swap-lines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'huge-number': {
      let index = 0;
      const count = text.match(/\d+(\.\d+)?/g)?.length ?? 1;
      return text.replace(/\d+(\.\d+)?/g, (n) => (index++ === m.which % count ? m.text : n));
    }
  }
}

/** A valid sample after 1–6 mutations, or (now and then) text from nothing. */
function mutated(sample: string, maxDepth = 5_000): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(mutation(maxDepth), { minLength: 1, maxLength: 6 })
        .map((ms) => ms.reduce(mutate, sample)),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(sample) },
  );
}

// ---------------------------------------------------------------------------------------------- checks

/** Runs a parser and returns what it threw: nothing, or a DulyError (anything else fails the property). */
function refusal(run: () => unknown): DulyError | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof DulyError)) throw error;
    return error;
  }
}

/** Refusals of a whole file, where the file is the place: nothing in it, or not a list of invoices. */
const WHOLE_FILE = [
  / holds no invoices$/,
  /: expected an array of invoices or \{ "invoices": \[\.\.\.\] \}$/,
];

/** An import or config refusal: says which file, and the line (every line of the message: `FILE:LINE: …`). */
function expectFilePlace(error: DulyError, file: string) {
  expect(error.place.file).toBe(file);
  expect(error.message.startsWith(file), error.message).toBe(true);
  if (WHOLE_FILE.some((pattern) => pattern.test(error.message))) return;
  expect(error.place.line, error.message).toBeGreaterThanOrEqual(1);
  // One problem a line, each `FILE:LINE: …`; a closing hint (the known columns, how many more) names the file.
  // Every line is a problem or a closing hint: a line break inside a quoted value is escaped.
  const escaped = file.replace('.', '\\.');
  const problem = new RegExp(`^${escaped}:\\d+: `);
  const hint = new RegExp(`^${escaped}: (the columns are |\\d+ more problems not shown$)`);
  const lines = error.message.split('\n');
  expect(lines[0], error.message).toMatch(problem);
  for (const line of lines) {
    expect(problem.test(line) || hint.test(line), `${JSON.stringify(line)} in ${error.message}`).toBe(true);
  }
}

describe('CSV and JSON import (parseImportText)', () => {
  it('never throws anything but a DulyError naming FILE:LINE (CSV)', () => {
    fc.assert(
      fc.property(mutated(CSV_SAMPLE), (text) => {
        const error = refusal(() => parseImportText(text, 'in.csv'));
        if (error) expectFilePlace(error, 'in.csv');
      }),
      RUNS,
    );
  });

  it('never throws anything but a DulyError naming FILE:LINE (JSON)', () => {
    fc.assert(
      fc.property(mutated(JSON_SAMPLE), (text) => {
        const error = refusal(() => parseImportText(text, 'in.json'));
        if (error) expectFilePlace(error, 'in.json');
      }),
      RUNS,
    );
  });

  it('gives every row accepted a line that exists in the file', () => {
    fc.assert(
      fc.property(mutated(CSV_SAMPLE), (text) => {
        let rows: { line: number }[] = [];
        try {
          rows = parseImportText(text, 'in.csv').rows;
        } catch {
          return;
        }
        const lines = text.split(/\r\n?|\n/).length;
        for (const row of rows) {
          expect(row.line).toBeGreaterThanOrEqual(2);
          expect(row.line).toBeLessThanOrEqual(lines);
        }
      }),
      RUNS,
    );
  });
});

/** Deep enough to run the yaml parser out of stack (it fails past ~2,000 levels): readYaml must report it. */
const YAML_MAX_NESTING = 5_000;

describe('duly.yaml (parseConfigText)', () => {
  it('never throws anything but a DulyError naming FILE:LINE', () => {
    fc.assert(
      fc.property(mutated(YAML_SAMPLE, YAML_MAX_NESTING), (text) => {
        const error = refusal(() =>
          parseConfigText(text, 'duly.yaml', {
            env: { X: 'x', SMTP_URL: 'smtp://mail.test' },
            validateChannel: validateChannelOptions,
          }),
        );
        if (error) {
          expect(error.code).toBe('invalid_config');
          expectFilePlace(error, 'duly.yaml');
        }
      }),
      RUNS,
    );
  });
});

// ----------------------------------------------------------------------------------------------- events

/** JSON values from the sample event: its fields replaced, removed or retyped at random. */
const eventValue = fc.oneof(
  { weight: 3, arbitrary: mutated(EVENT_SAMPLE).map((text) => ({ text })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        id: fc.oneof(
          fc.string(),
          fc.integer(),
          fc.constant(undefined),
          fc.string({ minLength: 190, maxLength: 260 }),
        ),
        type: fc.oneof(
          fc.constantFrom('payment.succeeded', 'invoice.paid', 'invoice.disputed', 'nope'),
          fc.anything(),
        ),
        source: fc.oneof(fc.constant(undefined), fc.string(), fc.constant(' ')),
        occurred_at: fc.oneof(
          fc.constant(undefined),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        data: fc.oneof(
          fc.record({
            invoice_number: fc.oneof(fc.constantFrom('INV-1', 'INV-404', ''), fc.string()),
            amount: fc.oneof(
              fc.constant(undefined),
              fc.constantFrom(...HUGE, '0', '-5', '1.234', '12.50'),
              fc.string(),
            ),
          }),
          fc.anything(),
        ),
      })
      .map((value) => ({ value })),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((value) => ({ value })) },
);

const parsedBody = (e: { text: string } | { value: unknown }): unknown => {
  if ('value' in e) return e.value;
  try {
    return JSON.parse(e.text);
  } catch {
    return undefined;
  }
};

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An event refusal: a message, and the field when the body was an object (else the body is the place). */
function expectEventPlace(error: { message?: unknown; field?: unknown } | undefined, body: unknown) {
  const text = JSON.stringify(error);
  expect(typeof error?.message, text).toBe('string');
  if (isObject(body)) expect(typeof error?.field, text).toBe('string');
}

describe('event input (GenericEvent)', () => {
  it('names the field of the first problem for any JSON value', () => {
    fc.assert(
      fc.property(eventValue, (e) => {
        const body = parsedBody(e);
        const error = refusal(() => parseInput(GenericEvent, body));
        if (error) expectEventPlace({ message: error.message, field: error.place.field }, body);
      }),
      RUNS,
    );
  });
});

describe('POST /v1/events (HTTP)', () => {
  let engine: TestEngine;
  let app: FastifyInstance;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite', defaultTestConfig(), Date.parse('2026-03-10T09:00:00Z'));
    await seedInvoice(engine.ctx, { number: 'INV-1', dueOn: '2026-03-16', amount: 10_000_000 });
    app = createServer({ ctx: engine.ctx, metrics: createMetrics(), apiKey: null });
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
  });

  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'application/json; charset=latin1',
    'multipart/form-data; boundary=x',
    undefined,
  );

  it('never answers 500; a refusal says what is wrong, and which field when the body was a JSON object', async () => {
    await fc.assert(
      fc.asyncProperty(eventValue, contentType, async (e, type) => {
        const payload = 'text' in e ? e.text : (JSON.stringify(e.value) ?? '');
        const response = await app.inject({
          method: 'POST',
          url: '/v1/events',
          payload,
          headers: type === undefined ? {} : { 'content-type': type },
        });
        const where = `${response.statusCode} ${response.body.slice(0, 300)}`;
        expect(response.statusCode, where).toBeLessThan(500);
        if (response.statusCode < 400) return;
        const { error } = response.json() as { error?: { message?: unknown; field?: unknown } };
        const json = type?.startsWith('application/json') === true;
        expectEventPlace(error, json ? parsedBody(e) : undefined);
      }),
      RUNS,
    );
  });

  it('refuses through the use case as it does through HTTP', async () => {
    await fc.assert(
      fc.asyncProperty(eventValue, async (e) => {
        const body = parsedBody(e);
        try {
          await ingestEvent({ ctx: engine.ctx, input: body });
        } catch (error) {
          if (!(error instanceof DulyError)) throw error;
          expectEventPlace({ message: error.message, field: error.place.field }, body);
        }
      }),
      RUNS,
    );
  });
});
