import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DulyError } from '../../domain/errors.ts';
import { jsonRecordLines } from './json-record-lines.ts';
import { parseImportFile, parseImportText } from './parse-import-file.ts';
import { derivedContactId } from './read-import-contact.ts';

const HEADER = 'account_id,account_name,invoice_number,amount,currency,issued_on,due_on,email,phone';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');

function problemsOf(run: () => unknown): { message: string; place: unknown } {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DulyError)) throw error;
    expect(error.code).toBe('invalid_input');
    return { message: error.message, place: error.place };
  }
  throw new Error('expected a DulyError');
}

describe('parseImportText on CSV', () => {
  it('should read valid rows into minor units, defaults and normalized addresses', () => {
    const text = [
      'Account ID,account_name,invoice_number,amount,currency,issued_on,due_on,email,phone,tags,locale,status,disputed,contact_id',
      'acme,"Acme, Inc.",INV-1,"1,234.50",usd,2026-03-01,2026-03-31,Ann@Acme.test,+1 (555) 010-0199,vip; net30|vip,en_us,,yes,',
      '',
      'zen,"Zen',
      'Ltd",INV-2,1000,JPY,2026-03-01,2026-03-01,,,,,paid,,',
      'zen,Zen,INV-3,5,EUR,2026-03-01,2026-04-01,,,,,,,',
    ].join('\r\n');
    const { format, rows } = parseImportText(text, 'in.csv');
    expect(format).toBe('csv');
    expect(rows.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(rows[0]).toEqual({
      line: 2,
      account: {
        id: 'acme',
        name: 'Acme, Inc.',
        timezone: null,
        locale: 'en-US',
        tags: ['vip', 'net30'],
        owner: null,
        autoPay: null,
      },
      contact: {
        id: derivedContactId('acme', 'ann@acme.test'),
        accountId: 'acme',
        name: null,
        email: 'Ann@Acme.test',
        phone: '+15550100199',
        whatsapp: null,
        telegram: null,
        preferredChannel: null,
      },
      invoice: {
        number: 'INV-1',
        accountId: 'acme',
        amount: 123450,
        balance: null,
        currency: 'USD',
        issuedOn: '2026-03-01',
        dueOn: '2026-03-31',
        status: null,
        disputed: true,
        source: null,
        externalId: null,
        contractId: null,
      },
    });
    expect(rows[1]?.account.name).toBe('Zen\nLtd');
    expect(rows[1]?.invoice).toMatchObject({ amount: 1000, status: 'paid' });
    expect(rows[1]?.contact).toBeNull();
    expect(rows[2]?.contact).toBeNull();
  });

  it('should report every bad field as FILE:LINE: field: problem and place the first', () => {
    const { message, place } = problemsOf(() =>
      parseImportText(
        csv(
          'a1,A,INV-1,10.00,USD,2026-03-01,2026-03-31,a@x.test,',
          'a1,A,INV-2,10.00,USD,2026-02-30,2026-03-31,a@x.test,',
          'a1,A,INV-3,12.345,USD,2026-03-01,2026-03-31,a@x.test,',
          'a1,A,INV-4,10.00,XYZ,2026-03-01,2026-03-31,a@x.test,',
          ',A,INV-5,10.00,USD,2026-03-01,2026-03-31,a@x.test,',
          'a1,A,INV-6,10.00,USD,2026-03-01,2026-03-31,bob@,',
          'a1,A,INV-1,10.00,USD,2026-03-01,2026-02-01,,123',
        ),
        'bad.csv',
      ),
    );
    expect(message.split('\n')).toEqual([
      'bad.csv:3: issued_on: "2026-02-30" is not a day on the calendar',
      'bad.csv:4: amount: "12.345" has more than 2 decimal places for USD',
      'bad.csv:5: currency: "XYZ" is not an ISO 4217 currency code, like USD',
      'bad.csv:6: account_id: is required',
      'bad.csv:7: email: "bob@" is not an email address',
      'bad.csv:8: due_on: 2026-02-01 is before issued_on 2026-03-01',
      'bad.csv:8: phone: "123" is not a phone number; write it with the country code, like +15551234567',
      'bad.csv:8: invoice_number: "INV-1" is on line 2 too; each invoice once',
    ]);
    expect(place).toEqual({ file: 'bad.csv', line: 3, field: 'issued_on' });
  });

  it.each([
    ['balance', 'balance', '20.00', 'balance: 20.00 is more than the amount 10.00'],
    [
      'time zone',
      'timezone',
      'Mars/Olympus',
      'timezone: "Mars/Olympus" is not an IANA time zone, like America/New_York',
    ],
    [
      'offset as a zone',
      'timezone',
      '+01:00',
      'timezone: "+01:00" is not an IANA time zone, like America/New_York',
    ],
    [
      'locale',
      'locale',
      'not a locale',
      'locale: "not a locale" is not a locale; write a BCP 47 tag, like en-US',
    ],
    [
      'status',
      'status',
      'closed',
      'status: "closed" is not a status; use one of draft, open, partial, paid, void, written_off',
    ],
    [
      'dispute flag',
      'disputed',
      'maybe',
      'disputed: "maybe" is not yes or no; write true, false, yes, no, 1 or 0',
    ],
    ['negative amount', 'amount', '-5', 'amount: "-5" is negative'],
  ])('should refuse a bad %s', (_name, column, value, expected) => {
    const header = 'account_id,account_name,invoice_number,amount,currency,issued_on,due_on';
    const cells: Record<string, string> = { amount: '10.00' };
    cells[column] = value;
    const extra = column === 'amount' ? '' : `,${column}`;
    const line = `a,A,I-1,${cells.amount},USD,2026-03-01,2026-03-31${column === 'amount' ? '' : `,"${value}"`}`;
    const { message } = problemsOf(() => parseImportText(`${header}${extra}\n${line}`, 'f.csv'));
    expect(message).toBe(`f.csv:2: ${expected}`);
  });

  it('should want an address for a contact', () => {
    const text =
      'account_id,account_name,invoice_number,amount,currency,issued_on,due_on,contact_name\n' +
      'a,A,I-1,1,USD,2026-03-01,2026-03-31,Ann';
    expect(problemsOf(() => parseImportText(text, 'f.csv')).message).toBe(
      'f.csv:2: email: a contact needs at least one of email, phone, whatsapp or telegram',
    );
  });

  it('should refuse unknown and missing columns once, on the header line', () => {
    const { message, place } = problemsOf(() =>
      parseImportText('account_id,account_name,invoice_number,amount,currency,issued_on,due_date\n', 'h.csv'),
    );
    expect(message.split('\n').slice(0, 2)).toEqual([
      'h.csv:1: due_date: unknown column',
      'h.csv:1: due_on: required column is missing',
    ]);
    expect(place).toMatchObject({ line: 1 });
  });

  it('should read semicolon-separated files and stop listing after 50 problems', () => {
    const header = 'account_id;account_name;invoice_number;amount;currency;issued_on;due_on';
    const lines = Array.from({ length: 60 }, (_, i) => `a;A;I-${i};1,5x;USD;2026-03-01;2026-03-31`);
    const { message } = problemsOf(() => parseImportText([header, ...lines].join('\n'), 's.csv'));
    const shown = message.split('\n');
    expect(shown).toHaveLength(51);
    expect(shown[0]).toBe('s.csv:2: amount: "1,5x" is not an amount; write it like 1234.50');
    expect(shown[50]).toBe('s.csv: 10 more problems not shown');
  });
});

describe('parseImportText on JSON', () => {
  const json = JSON.stringify(
    {
      source: 'sheet',
      invoices: [
        {
          account_id: 'a',
          account_name: 'A',
          invoice_number: 'I-1',
          amount: 12.5,
          currency: 'EUR',
          issued_on: '2026-03-01',
          due_on: '2026-03-31',
          tags: ['x', 'y'],
          disputed: false,
        },
        {
          account_id: 'a',
          account_name: 'A',
          invoice_number: 'I-2',
          amount: '7',
          currency: 'EUR',
          issued_on: '2026-03-01',
          due_on: '2026-13-01',
          telegram: '@acme_billing',
          colour: 'red',
        },
      ],
    },
    null,
    2,
  );

  it('should find the line each record starts on', () => {
    expect(jsonRecordLines(json)).toEqual([4, 18]);
    expect(jsonRecordLines('[{"a":"[{,"},\n {"b":[1,{}]}, {}]')).toEqual([1, 2, 2]);
  });

  it('should read records and report problems at their lines', () => {
    const { message } = problemsOf(() => parseImportText(json, 'in.json'));
    expect(message.split('\n')).toEqual([
      'in.json:18: colour: unknown field',
      'in.json:18: due_on: "2026-13-01" is not a day on the calendar',
    ]);
    const fixed = JSON.parse(json);
    fixed.invoices[1].due_on = '2026-04-01';
    delete fixed.invoices[1].colour;
    const { format, rows } = parseImportText(JSON.stringify(fixed.invoices), 'list.json');
    expect(format).toBe('json');
    expect(rows.map((r) => [r.line, r.invoice.amount, r.account.tags, r.invoice.disputed])).toEqual([
      [1, 1250, ['x', 'y'], false],
      [1, 700, null, null],
    ]);
    expect(rows[1]?.contact).toMatchObject({
      id: derivedContactId('a', '@acme_billing'),
      telegram: '@acme_billing',
    });
  });

  it('should point at broken JSON', () => {
    expect(problemsOf(() => parseImportText('[\n{"a": 1,,}\n]', 'b.json')).message).toMatch(
      /^b\.json:2: not valid JSON/,
    );
  });
});

describe('parseImportFile', () => {
  it('should read a file and name a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duly-import-'));
    const file = join(dir, 'ok.csv');
    await writeFile(file, `\uFEFF${csv('a,A,I-1,1,USD,2026-03-01,2026-03-31,,')}\n`);
    expect((await parseImportFile(file)).rows).toHaveLength(1);
    await expect(parseImportFile(join(dir, 'nope.csv'))).rejects.toThrow(
      /cannot read .*nope\.csv: no such file/,
    );
  });
});

describe('problem lines', () => {
  it('should keep one problem to a line when a quoted cell holds a line break', () => {
    const csv =
      'account_id,account_name,invoice_number,amount,currency,issued_on,due_on,locale\n' +
      'a,A,I-1,10,USD,2026-01-01,2026-02-01,"Zen\nLtd"\n';
    try {
      parseImportText(csv, 'nl.csv');
      expect.unreachable('the file has a bad locale');
    } catch (error) {
      const lines = (error as DulyError).message.split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^nl\.csv:2: locale: .*Zen\\nLtd/);
    }
  });
});
