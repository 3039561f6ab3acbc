import { escapeHtml } from './html-escape.ts';

/** A table a report hands its template: the same rows as aligned text (chat, plain text) and as HTML (email). */
export interface ReportTable {
  header: string[];
  rows: string[][];
  /** The rows as aligned text; where the template prints it, the HTML email shows a real table instead. */
  text: string;
}

/** Builds a table with its aligned text: the first column left, figures right, no trailing spaces. */
export function reportTable(header: string[], rows: string[][]): ReportTable {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // The first column names the row; the others are figures, aligned right.
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i > 0 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return { header, rows, text: [line(header), rule, ...rows.map(line)].join('\n') };
}

const CELL = 'padding:6px 10px;border-bottom:1px solid #e5e7eb;';

function tableHtml(table: ReportTable): string {
  const head = table.header
    .map((h, i) => `<th align="${i > 0 ? 'right' : 'left'}" style="${CELL}">${escapeHtml(h)}</th>`)
    .join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((c, i) => `<td align="${i > 0 ? 'right' : 'left'}" style="${CELL}">${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return (
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" ' +
    `style="border-collapse:collapse;margin:0 0 20px;font-size:14px;"><tr>${head}</tr>${body}</table>`
  );
}

function tablesOf(scope: object): ReportTable[] {
  const report = (scope as { report?: { tables?: unknown } }).report;
  const tables = report && Array.isArray(report.tables) ? report.tables : [];
  return tables.filter((t): t is ReportTable => typeof t?.text === 'string' && Array.isArray(t.rows));
}

/** A part of the email body as HTML: paragraphs, with each report table the template printed as a real table. */
export function withReportTables(text: string, scope: object, paragraphs: (text: string) => string): string {
  for (const table of tablesOf(scope)) {
    const at = text.indexOf(table.text);
    if (at < 0 || table.text === '') continue;
    return (
      withReportTables(text.slice(0, at), scope, paragraphs) +
      tableHtml(table) +
      withReportTables(text.slice(at + table.text.length), scope, paragraphs)
    );
  }
  return paragraphs(text);
}
