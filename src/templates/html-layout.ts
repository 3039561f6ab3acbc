import { escapeAndLink, escapeHtml } from './html-escape.ts';
import { invoiceTableHtml } from './invoice-list.ts';
import type { Labels } from './labels.ts';
import { withReportTables } from './report-tables.ts';
import { INVOICE_LIST_MARK, type TemplateScope } from './template-scope.ts';

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const LINK = 'color:#1d4ed8;text-decoration:underline;';
const BUTTON =
  'display:inline-block;padding:12px 22px;background:#1d4ed8;color:#ffffff;text-decoration:none;' +
  'border-radius:4px;font-weight:bold;';

export interface HtmlLayoutInput {
  lang: string;
  subject: string;
  /** The rendered plain-text body, still holding the invoice list mark. */
  body: string;
  scope: TemplateScope;
  labels: Labels;
}

/**
 * The one responsive email layout every template shares: the text body as paragraphs, the invoice table
 * where the template put `{{ invoice_list }}`, a pay button, and the unsubscribe link. Built as a string
 * rather than with Liquid because it runs for every message; everything from outside is escaped.
 */
export function renderHtmlLayout({ lang, subject, body, scope, labels }: HtmlLayoutInput): string {
  const parts = body.split(INVOICE_LIST_MARK);
  // The pay button goes right under the invoice table, or at the end when the template has no table.
  const pay = payButton(scope.pay_url, labels.pay_now);
  const table = invoiceTableHtml(scope, labels);
  let content = '';
  parts.forEach((part, index) => {
    if (index > 0) content += index === 1 ? table + pay : table;
    content += withReportTables(part, scope, paragraphs);
  });
  if (parts.length === 1) content += pay;
  const unsubscribe = safeHref(scope.unsubscribe_url);
  return (
    `<!DOCTYPE html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="x-apple-disable-message-reformatting">' +
    `<title>${escapeHtml(subject)}</title>` +
    '<style>@media only screen and (max-width:620px){.duly-card{width:100%!important}' +
    '.duly-pad{padding:20px 16px!important}}</style></head>' +
    `<body style="margin:0;padding:0;background:#f3f4f6;">` +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">' +
    '<tr><td align="center" style="padding:24px 8px;">' +
    '<table role="presentation" class="duly-card" width="600" cellpadding="0" cellspacing="0" border="0" ' +
    'style="width:600px;max-width:600px;background:#ffffff;border-radius:6px;">' +
    `<tr><td class="duly-pad" style="padding:32px;${FONT}font-size:15px;line-height:1.55;color:#1f2933;">` +
    `${content}</td></tr>` +
    `<tr><td class="duly-pad" style="padding:16px 32px;border-top:1px solid #e5e7eb;${FONT}font-size:12px;color:#6b7280;">` +
    `${escapeHtml(scope.company_name)} · ` +
    (unsubscribe
      ? `<a href="${escapeHtml(unsubscribe)}" style="color:#6b7280;text-decoration:underline;">${escapeHtml(labels.unsubscribe)}</a>`
      : escapeHtml(`${labels.unsubscribe}: ${scope.unsubscribe_url}`)) +
    '</td></tr>' +
    '</table></td></tr></table></body></html>'
  );
}

function paragraphs(text: string): string {
  let html = '';
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.trim();
    if (!lines) continue;
    html += `<p style="margin:0 0 16px;">${lines
      .split('\n')
      .map((line) => escapeAndLink(line, LINK))
      .join('<br>')}</p>`;
  }
  return html;
}

function payButton(url: string | null, label: string): string {
  const href = url && safeHref(url);
  if (!href) return '';
  return (
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;"><tr><td>' +
    `<a href="${escapeHtml(href)}" style="${BUTTON}">${escapeHtml(label)}</a></td></tr></table>`
  );
}

/** Only web links become buttons: a `javascript:` address from a billing system must not. */
function safeHref(url: string): string | null {
  return /^https?:\/\//i.test(url) ? url : null;
}
