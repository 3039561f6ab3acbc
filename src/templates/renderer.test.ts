import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../domain/money.ts';
import { createRenderer, type RenderInput, type TemplateInvoice } from './renderer.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');
const SHIPPED_TEMPLATES = [
  'upcoming',
  'due-today',
  'overdue-1',
  'overdue-2',
  'final-notice',
  'escalation',
  'still-open',
];
const SHIPPED_LOCALES = ['en', 'fr'];

const invoice = (overrides: Partial<TemplateInvoice> = {}): TemplateInvoice => ({
  number: 'INV-1001',
  amount: 123450,
  balance: 123450,
  currency: 'USD',
  issuedOn: '2026-02-01',
  dueOn: '2026-03-03',
  daysOverdue: 7,
  ...overrides,
});

const input = (overrides: Partial<RenderInput> = {}): RenderInput => ({
  template: 'overdue-1',
  locale: 'en-US',
  timezone: 'America/New_York',
  recipientName: 'Ana Lima',
  accountName: 'Globex Ltd',
  companyName: 'Acme Services',
  invoices: [invoice()],
  unsubscribeUrl: 'https://duly.example.com/u/tok_123',
  payUrl: 'https://pay.example.com/i/INV-1001?src=duly&t=1',
  now: NOW,
  ...overrides,
});

const shippedDate = (date: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.parse(`${date}T00:00:00Z`),
  );

const renderer = createRenderer();

describe('renderer: languages and money', () => {
  it('writes an English reminder with US money and dates', () => {
    const out = renderer.render(input());

    expect(out.subject).toBe('Invoice INV-1001 is overdue');
    expect(out.text).toContain('Hello Ana Lima,');
    expect(out.text).toContain('$1,234.50');
    expect(out.text).toContain(shippedDate('2026-03-03', 'en-US'));
    expect(out.text).toContain('7 days overdue');
    expect(out.html).toContain('<html lang="en-US">');
    expect(out.html).toContain('$1,234.50');
  });

  it('writes a French reminder with French money, in the recipient’s own format', () => {
    const out = renderer.render(input({ locale: 'fr-FR', invoices: [invoice({ currency: 'EUR' })] }));
    const amount = formatMoney(123450, 'EUR', 'fr-FR');

    expect(amount).toMatch(/^1\s234,50\s€$/u);
    expect(out.subject).toBe('La facture INV-1001 est en retard de paiement');
    expect(out.text).toContain('Bonjour Ana Lima,');
    expect(out.text).toContain(amount);
    expect(out.text).toContain(shippedDate('2026-03-03', 'fr-FR'));
    expect(out.text).toContain('7 jours de retard');
    expect(out.html).toContain(amount);
  });

  it('falls back from fr-CA to the French templates, keeping Canadian formats', () => {
    const out = renderer.render(input({ locale: 'fr-CA', invoices: [invoice({ currency: 'CAD' })] }));
    expect(out.subject).toBe('La facture INV-1001 est en retard de paiement');
    expect(out.text).toContain(formatMoney(123450, 'CAD', 'fr-CA'));
    expect(out.html).toContain('<html lang="fr-CA">');
  });

  it.each([
    ['a language without templates', 'de-DE'],
    ['an unreadable locale', 'not a locale!'],
  ])('falls back to English for %s', (_name, locale) => {
    const out = renderer.render(input({ locale, invoices: [invoice({ currency: 'EUR' })] }));
    expect(out.subject).toBe('Invoice INV-1001 is overdue');
    if (locale === 'de-DE') expect(out.text).toContain(formatMoney(123450, 'EUR', 'de-DE'));
  });
});

describe('renderer: grouped statements', () => {
  const two = [
    invoice({ number: 'INV-1001', balance: 100000 }),
    invoice({ number: 'INV-1002', amount: 50000, balance: 50000, dueOn: '2026-03-08', daysOverdue: 2 }),
  ];

  it('lists every invoice and the total of the balances', () => {
    const out = renderer.render(input({ invoices: two }));
    const total = formatMoney(150000, 'USD', 'en-US');

    expect(out.subject).toBe('2 invoices are overdue');
    for (const text of [out.text, out.html]) {
      expect(text).toContain('INV-1001');
      expect(text).toContain('INV-1002');
      expect(text).toContain(`Total due: ${total}`);
    }
    expect(out.text).toContain(`$1,000.00 of $1,234.50`);
    expect(out.text).toContain(`Please pay ${total} at`);
  });

  it('totals each currency on its own', () => {
    const out = renderer.render(
      input({
        template: 'escalation',
        invoices: [invoice(), invoice({ number: 'INV-2', currency: 'EUR', amount: 8000, balance: 8000 })],
      }),
    );
    expect(out.subject).toContain(
      `${formatMoney(123450, 'USD', 'en-US')} + ${formatMoney(8000, 'EUR', 'en-US')}`,
    );
  });
});

describe('renderer: safety', () => {
  it('escapes values in HTML but not in plain text', () => {
    const evil = '<script>alert("x")</script>';
    const out = renderer.render(
      input({ recipientName: evil, accountName: `Tom & ${evil}`, invoices: [invoice({ number: evil })] }),
    );

    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out.html).toContain('Tom &amp; ');
    expect(out.text).toContain(`Hello ${evil},`);
  });

  it('links web addresses in the HTML with the query string escaped', () => {
    const out = renderer.render(input());
    expect(out.html).toContain('href="https://pay.example.com/i/INV-1001?src=duly&amp;t=1"');
    expect(out.html).toContain('href="https://duly.example.com/u/tok_123"');
  });

  it('makes no link or button of an address that is not a web address', () => {
    const out = renderer.render(input({ payUrl: 'javascript:alert(1)' }));
    expect(out.html).not.toContain('href="javascript:');
    expect(out.html).not.toContain('Pay now');
  });

  it('rejects an unknown template, naming it', () => {
    expect(() => renderer.render(input({ template: 'overdue-9' }))).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        place: { field: 'template' },
        message: expect.stringContaining('"overdue-9"'),
      }),
    );
    expect(renderer.has('overdue-1')).toBe(true);
    expect(renderer.has('overdue-9')).toBe(false);
  });
});

describe('renderer: shipped templates', () => {
  const cases = SHIPPED_LOCALES.flatMap((locale) =>
    SHIPPED_TEMPLATES.map((template) => [template, locale] as const),
  );

  it.each(cases)('renders %s in %s, with the unsubscribe link in text and HTML', (template, locale) => {
    for (const invoices of [[invoice()], [invoice(), invoice({ number: 'INV-1002', daysOverdue: 1 })]]) {
      for (const payUrl of ['https://pay.example.com/x', null]) {
        const out = renderer.render(input({ template, locale, invoices, payUrl }));
        expect(out.subject.length).toBeGreaterThan(5);
        expect(out.text).toContain('INV-1001');
        expect(out.text).toContain('https://duly.example.com/u/tok_123');
        expect(out.html).toContain('href="https://duly.example.com/u/tok_123"');
        expect(out.html).toContain('INV-1001');
        expect(`${out.subject}${out.text}${out.html}`).not.toMatch(/[\uE000\uE001]|\{\{|\{%|\n\n\n/);
      }
    }
  });
});

describe('renderer: a business’s own templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duly-templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  it('wins over the shipped template and adds languages', () => {
    write('own/en/overdue-1.liquid', 'Subject: Pay up, {{ account_name }}\n\n{{ invoice_list }}\n');
    write(
      'own/de/overdue-1.liquid',
      'Subject: Rechnung {{ invoice_numbers }} ist überfällig\n\nHallo {{ recipient_name }}\n',
    );
    write('own/de/labels.yaml', 'unsubscribe_line: "Abmelden: {url}"\n');
    const own = createRenderer({ overrideDir: join(dir, 'own') });

    expect(own.render(input()).subject).toBe('Pay up, Globex Ltd');
    const german = own.render(input({ locale: 'de-AT', invoices: [invoice({ currency: 'EUR' })] }));
    expect(german.subject).toBe('Rechnung INV-1001 ist überfällig');
    expect(german.text).toContain('Abmelden: https://duly.example.com/u/tok_123');
    expect(own.render(input({ template: 'final-notice' })).subject).toContain('Final notice');
  });

  it.each([
    ['an unknown filter', '{{ total | shout }}'],
    ['a misspelt variable', '{{ recipent_name }}'],
    ['a tag left open', '{% if pay_url %}'],
  ])('refuses a template with %s at start-up, naming the file', (_name, body) => {
    write('broken/en/overdue-1.liquid', `Subject: x\n\n${body}\n`);
    expect(() => createRenderer({ overrideDir: join(dir, 'broken') })).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        place: { file: join(dir, 'broken/en/overdue-1.liquid') },
      }),
    );
  });

  it('refuses a template without a subject line', () => {
    write('nosubject/en/overdue-1.liquid', 'Hello\n');
    expect(() => createRenderer({ overrideDir: join(dir, 'nosubject') })).toThrow(/Subject:/);
  });
});
