import { DulyError } from '../domain/errors.ts';
import type { CalendarDate, Instant, Minor } from '../domain/types.ts';
import { renderHtmlLayout } from './html-layout.ts';
import { invoiceListText } from './invoice-list.ts';
import { fillLabel } from './labels.ts';
import { resolveLocale } from './locale.ts';
import { mergeFolders, readTemplateFolders } from './template-files.ts';
import { type CompiledTemplate, compileLibrary } from './template-library.ts';
import { buildScope, INVOICE_LIST_MARK, SUBJECT_END_MARK } from './template-scope.ts';

export interface TemplateInvoice {
  number: string;
  amount: Minor;
  balance: Minor;
  currency: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  daysOverdue: number;
}

export interface RenderInput {
  template: string;
  locale: string;
  timezone: string;
  recipientName: string;
  accountName: string;
  companyName: string;
  /** One invoice, or several for a grouped statement. */
  invoices: TemplateInvoice[];
  /** Variables of a subject other than invoices (`payment`, `contract`, `milestone`, `report` …). */
  details?: Record<string, unknown>;
  unsubscribeUrl: string;
  payUrl: string | null;
  now: Instant;
}

export interface RenderedContent {
  subject: string;
  text: string;
  html: string;
}

/** Turns a template name and one recipient's data into the words of a message. */
export interface Renderer {
  /** Synchronous and cached: it runs once per message. Throws DulyError('invalid_config') for an unknown template. */
  render(input: RenderInput): RenderedContent;
  has(template: string): boolean;
}

const SHIPPED_DIR = import.meta.dirname;

/** Loads and parses every template once. `overrideDir` holds a business's own templates, which win. */
export function createRenderer(options: { overrideDir?: string } = {}): Renderer {
  const folders = readTemplateFolders(SHIPPED_DIR);
  if (options.overrideDir) mergeFolders(folders, readTemplateFolders(options.overrideDir));
  const library = compileLibrary(folders);
  const lookups = new Map<string, CompiledTemplate>();

  function find(template: string, locale: string): CompiledTemplate {
    const key = `${template}\n${locale}`;
    let found = lookups.get(key);
    if (found) return found;
    found = library.find(template, resolveLocale(locale).chain) ?? undefined;
    if (!found) {
      const known = [...library.names].sort().join(', ');
      throw new DulyError('invalid_config', `unknown template "${template}"; known templates: ${known}`, {
        field: 'template',
      });
    }
    lookups.set(key, found);
    return found;
  }

  return {
    has: (template) => library.names.has(template),
    render(input) {
      const { render, labels } = find(input.template, input.locale);
      const locale = resolveLocale(input.locale).intl;
      const scope = buildScope(input, locale);
      const output = render(scope);
      const cut = output.indexOf(SUBJECT_END_MARK);
      const renderedSubject = output
        .slice(output.indexOf(':') + 1, cut)
        .replace(/\s+/g, ' ')
        .trim();
      const renderedBody = tidy(output.slice(cut + 1));
      const list = renderedBody.includes(INVOICE_LIST_MARK) ? invoiceListText(scope, labels, locale) : '';
      const unsubscribe = fillLabel(labels.unsubscribe_line, { url: scope.unsubscribe_url });
      return {
        subject: renderedSubject,
        text: `${list ? renderedBody.replaceAll(INVOICE_LIST_MARK, list) : renderedBody}\n\n${unsubscribe}\n`,
        html: renderHtmlLayout({ lang: locale, subject: renderedSubject, body: renderedBody, scope, labels }),
      };
    },
  };
}

/** Drops the blank lines and trailing spaces that Liquid tags leave behind. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
