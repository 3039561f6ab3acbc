import { Liquid, type Template } from 'liquidjs';
import { DulyError } from '../domain/errors.ts';
import type { Labels } from './labels.ts';
import { compileLiquid } from './liquid-compiler.ts';
import { BASE_LOCALE, resolveLocale } from './locale.ts';
import type { RenderInput } from './renderer.ts';
import { SAMPLE_DETAILS } from './sample-details.ts';
import type { LocaleFolder } from './template-files.ts';
import { buildScope } from './template-scope.ts';

export interface CompiledTemplate {
  /** Subject line and body in one pass (see SUBJECT_END_MARK). */
  render: (scope: object) => string;
  /** The labels of the folder the template came from, completed from its parent languages. */
  labels: Labels;
}

export interface TemplateLibrary {
  /** The template in the first folder of `chain` that has it. */
  find(name: string, chain: readonly string[]): CompiledTemplate | null;
  names: ReadonlySet<string>;
}

/** Parses every template once, and tries each on sample data so a typo fails at start-up, not at send time. */
export function compileLibrary(folders: Map<string, LocaleFolder>): TemplateLibrary {
  const byLocale = new Map<string, Map<string, CompiledTemplate>>();
  const names = new Set<string>();
  for (const [locale, folder] of folders) {
    const chain = resolveLocale(locale).chain.filter((l) => folders.has(l));
    const parents = chain.map((l) => folders.get(l) as LocaleFolder).reverse();
    const labels = Object.assign({}, ...parents.map((f) => f.labels)) as Labels;
    const partials: Record<string, string> = {};
    for (const parent of parents)
      for (const [name, source] of parent.partials) partials[`${name}.liquid`] = source;
    const engine = new Liquid({
      // In-memory partials: `include` reaches our template files and nothing else on disk.
      templates: partials,
      extname: '.liquid',
      cache: true,
      strictFilters: true,
      ownPropertyOnly: true,
    });
    const compiled = new Map<string, CompiledTemplate>();
    for (const [name, template] of folder.templates) {
      // Parsed as written first, so that errors point at the right line of the file.
      parse(engine, template.source, template.file);
      const templates = parse(engine, inlineIncludes(template.source, partials), template.file);
      tryOnSample(engine, templates, locale, template.file);
      const fast = compileLiquid(templates);
      const entry = {
        render: fast ?? ((scope: object) => String(engine.renderSync(templates, scope))),
        labels,
      };
      compiled.set(name, entry);
      names.add(name);
    }
    byLocale.set(locale, compiled);
  }
  return {
    names,
    find(name, chain) {
      for (const locale of chain) {
        const found = byLocale.get(locale)?.get(name);
        if (found) return found;
      }
      return null;
    },
  };
}

const STATIC_INCLUDE = /\{%\s*include\s+(['"])(_[\w-]+)\1\s*%\}/g;

/**
 * Replaces `{% include '_name' %}` by the partial's text (an include shares the scope, so the output is
 * the same), which lets compileLiquid handle templates that use partials.
 */
export function inlineIncludes(source: string, partials: Record<string, string>, depth = 0): string {
  if (depth > 5) return source;
  return source.replace(STATIC_INCLUDE, (tag, _quote, name: string) => {
    const partial = partials[`${name}.liquid`];
    return partial === undefined ? tag : inlineIncludes(partial, partials, depth + 1);
  });
}

function parse(engine: Liquid, source: string, file: string): Template[] {
  try {
    return engine.parse(source, file);
  } catch (error) {
    throw new DulyError('invalid_config', `template does not parse: ${(error as Error).message}`, { file });
  }
}

const SAMPLE: RenderInput = {
  template: 'sample',
  locale: BASE_LOCALE,
  timezone: 'UTC',
  recipientName: 'Sample Recipient',
  accountName: 'Sample Account',
  companyName: 'Sample Company',
  invoices: [
    {
      number: 'S-1',
      amount: 10000,
      balance: 10000,
      currency: 'USD',
      issuedOn: '2026-01-01',
      dueOn: '2026-01-31',
      daysOverdue: 3,
    },
    {
      number: 'S-2',
      amount: 5000,
      balance: 2500,
      currency: 'USD',
      issuedOn: '2026-01-05',
      dueOn: '2026-02-04',
      daysOverdue: 0,
    },
  ],
  unsubscribeUrl: 'https://example.com/unsubscribe',
  payUrl: 'https://example.com/pay',
  details: SAMPLE_DETAILS,
  now: Date.UTC(2026, 1, 3),
};

function tryOnSample(engine: Liquid, templates: Template[], locale: string, file: string): void {
  const scope = buildScope(SAMPLE, resolveLocale(locale).intl);
  try {
    engine.renderSync(templates, scope, { strictVariables: true });
  } catch (error) {
    throw new DulyError('invalid_config', `template does not render: ${(error as Error).message}`, { file });
  }
}
