import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { compileLiquid } from './liquid-compiler.ts';
import type { RenderInput } from './renderer.ts';
import { inlineIncludes } from './template-library.ts';
import { buildScope } from './template-scope.ts';

const engine = new Liquid({ strictFilters: true, ownPropertyOnly: true });
const NOW = Date.parse('2026-03-10T14:00:00Z');

/** Same output as LiquidJS, or null: the compiled path must never change what a template says. */
function expectSameAsLiquid(source: string, scopes: object[]) {
  const templates = engine.parse(source);
  const compiled = compileLiquid(templates);
  expect(compiled, `compiles: ${source}`).not.toBeNull();
  for (const scope of scopes) expect(compiled?.(scope)).toBe(engine.renderSync(templates, scope));
}

const base: RenderInput = {
  template: 'x',
  locale: 'en',
  timezone: 'UTC',
  recipientName: 'Ana',
  accountName: 'Globex',
  companyName: 'Acme',
  invoices: [
    {
      number: 'A-1',
      amount: 1000,
      balance: 1000,
      currency: 'USD',
      issuedOn: '2026-01-01',
      dueOn: '2026-02-01',
      daysOverdue: 1,
    },
  ],
  unsubscribeUrl: 'https://u.example',
  payUrl: 'https://p.example',
  now: NOW,
};

const scopes = [
  buildScope(base, 'en'),
  buildScope({ ...base, payUrl: null }, 'fr'),
  buildScope(
    {
      ...base,
      invoices: [...base.invoices, { ...base.invoices[0], number: 'A-2', daysOverdue: 30 }],
    } as RenderInput,
    'en',
  ),
  buildScope({ ...base, invoices: [] }, 'en'),
];

describe('compileLiquid', () => {
  const root = import.meta.dirname;
  for (const locale of ['en', 'fr']) {
    const dir = join(root, locale);
    const partials: Record<string, string> = {};
    for (const file of readdirSync(dir).filter((f) => f.startsWith('_'))) {
      partials[file] = readFileSync(join(dir, file), 'utf8');
    }
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.liquid') && !f.startsWith('_'))) {
      it(`renders ${locale}/${file} exactly as LiquidJS does`, () => {
        expectSameAsLiquid(inlineIncludes(readFileSync(join(dir, file), 'utf8'), partials), scopes);
      });
    }
  }

  const data = {
    name: 'Ana',
    zero: 0,
    nothing: '',
    none: null,
    yes: true,
    list: [{ n: 1 }, { n: 2 }],
    nested: { a: { b: 'deep' }, size: 'own size' },
  };

  it.each([
    ['text and outputs', 'Hi {{ name }}, {{ zero }}{{ nothing }}{{ none }}{{ yes }}{{ missing }}.'],
    [
      'paths, indexes, size, first and last',
      '{{ nested.a.b }} {{ list[1].n }} {{ list.size }} {{ list.first.n }} {{ list.last.n }} {{ name.size }} {{ nested.size }} {{ list[-1].n }}',
    ],
    ['quoted keys and literals', `{{ nested["a"]["b"] }} {{ "lit" }} {{ 42 }} {{ true }}`],
    [
      'prototype names stay empty',
      '{{ constructor }}{{ toString }}{{ name.length }}{{ list.map }}{{ __proto__ }}|{{ size }}',
    ],
    [
      'comparisons',
      '{% if zero == 0 and name != "Bob" %}a{% endif %}{% if list.size > 1 %}b{% endif %}{% if zero < 1 or none %}c{% endif %}{% if 2 >= list.size %}d{% endif %}{% if name <= "B" %}e{% endif %}',
    ],
    [
      'truthiness as Liquid has it',
      '{% if zero %}0{% endif %}{% if nothing %}E{% endif %}{% if none %}N{% else %}n{% endif %}{% if missing %}M{% endif %}{% if list %}L{% endif %}',
    ],
    [
      'elsif chains and not',
      '{% if none %}1{% elsif yes == false %}2{% elsif name %}3{% else %}4{% endif %}{% if not none %}!{% endif %}',
    ],
    ['array equality', '{% if list == list %}same{% endif %}'],
    ['comments', 'a{% comment %}hidden {{ name }}{% endcomment %}b{% # inline %}c'],
  ])('matches LiquidJS for %s', (_name, source) => {
    expectSameAsLiquid(source, [data, {}]);
  });

  it.each([
    ['filters', '{{ name | upcase }}'],
    ['loops', '{% for i in list %}{{ i.n }}{% endfor %}'],
    ['assign', '{% assign x = 1 %}{{ x }}'],
    ['nil and empty', '{% if name == empty %}x{% endif %}'],
    ['contains', '{% if name contains "A" %}x{% endif %}'],
    ['dynamic keys', '{{ list[zero].n }}'],
  ])('leaves %s to LiquidJS', (_name, source) => {
    expect(compileLiquid(engine.parse(source))).toBeNull();
  });
});
