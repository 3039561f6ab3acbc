import type { PDFFont } from 'pdf-lib';
import { type AccountHistory, historySections } from '../domain/account-history.ts';
import type { Instant } from '../domain/types.ts';

const PAGE = { width: 842, height: 595 }; // A4 landscape: seven columns fit
const MARGIN = 36;
const LINE = 13;
const SIZE = 9;

/** The standard PDF fonts write WinAnsi only; anything else becomes "?" rather than failing the hand-off. */
const printable = (text: string) => text.replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');

function fitCell(text: string, font: PDFFont, width: number): string {
  let out = printable(text);
  if (font.widthOfTextAtSize(out, SIZE) <= width) return out;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}...`, SIZE) > width) out = out.slice(0, -1);
  return `${out}...`;
}

/** An account's history as a PDF for management or legal: one table per section, as many pages as it takes. */
export async function accountHistoryPdf(history: AccountHistory, generatedAt: Instant): Promise<Uint8Array> {
  // Loaded here: only an escalation that hands over a PDF needs it, and it slows every command's start.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`${history.accountName}: account history`));
  doc.setCreationDate(new Date(generatedAt));
  doc.setModificationDate(new Date(generatedAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN;
  const line = (cells: string[], f: PDFFont) => {
    if (y < MARGIN + LINE) {
      page = doc.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - MARGIN;
    }
    const column = (PAGE.width - 2 * MARGIN) / Math.max(cells.length, 1);
    cells.forEach((cell, i) => {
      page.drawText(fitCell(cell, f, column - 6), { x: MARGIN + i * column, y, size: SIZE, font: f });
    });
    y -= LINE;
  };
  const stamp = new Date(generatedAt).toISOString().slice(0, 16).replace('T', ' ');
  line([`${history.accountName}: account history (generated ${stamp} UTC)`], bold);
  for (const section of historySections(history)) {
    y -= LINE / 2;
    line([section.title], bold);
    const [header, ...rows] = section.rows;
    line(header ?? [], bold);
    if (rows.length === 0) line(['(none)'], font);
    for (const row of rows) line(row, font);
  }
  return doc.save({ useObjectStreams: false });
}
