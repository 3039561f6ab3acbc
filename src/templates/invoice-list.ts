import { escapeHtml } from './html-escape.ts';
import { fillLabel, type Labels } from './labels.ts';
import { pluralCategory } from './locale.ts';
import type { InvoiceView, TemplateScope } from './template-scope.ts';

/** `INV-1001 · Due Mar 3, 2026 · 12 days overdue · $1,234.50`, one line per invoice, then the total. */
export function invoiceListText(scope: TemplateScope, labels: Labels, locale: string): string {
  let text = '';
  for (const invoice of scope.invoices) {
    let line = `- ${invoice.number} · ${labels.due} ${invoice.due_on}`;
    if (invoice.days_overdue > 0) line += ` · ${overdueLabel(invoice.days_overdue, labels, locale)}`;
    text += `${line} · ${balanceText(invoice, labels)}\n`;
  }
  if (scope.count > 1) text += `${fillLabel(labels.total_line, { total: scope.total })}\n`;
  return text.trimEnd();
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const CELL = 'padding:8px 6px;border-bottom:1px solid #e5e7eb;';
const HEAD = `${CELL}font-size:12px;color:#6b7280;text-transform:uppercase;letter-spacing:.04em;`;

/** The same list as a table for the HTML layout; every value escaped. */
export function invoiceTableHtml(scope: TemplateScope, labels: Labels): string {
  const overdue = scope.invoices.some((invoice) => invoice.days_overdue > 0);
  let html =
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ' +
    `style="width:100%;border-collapse:collapse;margin:0 0 16px;${FONT}font-size:14px;">` +
    `<tr><th align="left" style="${HEAD}">${escapeHtml(labels.invoice)}</th>` +
    `<th align="left" style="${HEAD}">${escapeHtml(labels.due)}</th>` +
    (overdue ? `<th align="right" style="${HEAD}">${escapeHtml(labels.days_overdue)}</th>` : '') +
    `<th align="right" style="${HEAD}">${escapeHtml(labels.balance)}</th></tr>`;
  for (const invoice of scope.invoices) {
    html +=
      `<tr><td style="${CELL}">${escapeHtml(invoice.number)}</td>` +
      `<td style="${CELL}">${escapeHtml(invoice.due_on)}</td>` +
      (overdue ? `<td align="right" style="${CELL}">${Math.max(0, invoice.days_overdue)}</td>` : '') +
      `<td align="right" style="${CELL}white-space:nowrap;">${escapeHtml(balanceText(invoice, labels))}</td></tr>`;
  }
  if (scope.count > 1) {
    html +=
      `<tr><td colspan="${overdue ? 4 : 3}" align="right" style="padding:10px 6px;font-weight:bold;">` +
      `${escapeHtml(fillLabel(labels.total_line, { total: scope.total }))}</td></tr>`;
  }
  return `${html}</table>`;
}

function balanceText(invoice: InvoiceView, labels: Labels): string {
  return invoice.partial
    ? fillLabel(labels.partial, { balance: invoice.balance, amount: invoice.amount })
    : invoice.balance;
}

function overdueLabel(days: number, labels: Labels, locale: string): string {
  const label = labels[`overdue_${pluralCategory(days, locale)}`] ?? labels.overdue_other;
  return fillLabel(label, { n: days });
}
