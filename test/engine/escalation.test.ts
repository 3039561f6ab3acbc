import { decodePDFRawStream, PDFDocument, PDFRawStream } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { afterInvoicesChanged } from '../../src/engine/invoice-hooks.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { type SmtpInbox, startSmtpInbox } from '../fakes/smtp-inbox.ts';
import { openTestEngine, seedInvoice, type TestEngine } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';
import { triggerTestConfig } from '../support/threshold-fixtures.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-20T15:00:00Z');
const LADDER = `  - id: ladder
    trigger: threshold
    threshold: { outstanding_gte: { USD: 5000 }, oldest_overdue_days_gte: 60 }
    steps:
      - { id: management, at: crossed, to: role:manager, via: [email], template: escalation-management, attach: history }
      - { id: legal, at: crossed+14d, to: role:legal, via: [email], template: escalation-legal, attach: history }`;

/** The text a PDF page draws: pdf-lib writes standard-font text as hex strings in the content stream. */
async function pdfText(bytes: Buffer): Promise<{ pages: number; text: string }> {
  const doc = await PDFDocument.load(bytes);
  let text = '';
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents && 'asArray' in contents ? contents.asArray() : [contents];
    for (const ref of streams) {
      const stream = doc.context.lookup(ref as never);
      if (!(stream instanceof PDFRawStream)) continue;
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const [, hex] of ops.matchAll(/<([0-9A-Fa-f]*)> Tj/g))
        text += `${Buffer.from(hex ?? '', 'hex').toString('latin1')}\n`;
    }
  }
  return { pages: doc.getPageCount(), text };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`escalation ladder on ${dialect}`, () => {
    let engine: TestEngine;
    let inbox: SmtpInbox;
    afterEach(async () => {
      await engine.close();
      await inbox.close();
    });

    it('should hand the account to management, then to legal 14 days later, with its history as CSV and PDF', async () => {
      inbox = await startSmtpInbox();
      const email = `  email: { provider: smtp, url: "smtp://127.0.0.1:${inbox.port}", from: "Billing <billing@example.com>" }`;
      engine = await openTestEngine(dialect, triggerTestConfig(email, LADDER), T0);
      await seedInvoice(engine.ctx, { number: 'INV-7', dueOn: '2026-01-10', amount: 620_000 });
      const { ctx } = engine;
      await ctx.store.db
        .insertInto('payments')
        .values({
          tenant_id: ctx.tenantId,
          id: 'pay-1',
          invoice_id: 'inv-INV-7',
          amount: 20_000,
          currency: 'USD',
          status: 'failed',
          paid_at: Date.parse('2026-02-01T12:00:00Z'),
          source: 'test',
          external_id: null,
          failure_reason: 'card declined',
          created_at: 0,
        } as never)
        .execute();
      await ctx.store.db
        .transaction()
        .execute((trx) =>
          afterInvoicesChanged(
            trx,
            { tenantId: ctx.tenantId, actor: 'test', now: T0, config: ctx.config },
            { kind: 'payment', invoiceIds: ['inv-INV-7'], accountIds: [] },
          ),
        );

      engine.setNow(T0);
      expect(await runTick(ctx, { now: T0, random: () => 0.5 })).toMatchObject({ sent: 1 });
      engine.setNow(T0 + 14 * DAY);
      expect(await runTick(ctx, { now: T0 + 14 * DAY, random: () => 0.5 })).toMatchObject({ sent: 1 });

      expect(inbox.received.map((m) => [m.envelope.to, m.parsed.subject])).toEqual([
        [['max@example.com'], 'Escalation to management: Account acme owes $6,200.00'],
        [['lea@example.com'], 'Hand-off to legal: Account acme owes $6,200.00'],
      ]);
      const legal = inbox.received[1]?.parsed;
      expect(legal?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['acme-history.csv', 'text/csv'],
        ['acme-history.pdf', 'application/pdf'],
      ]);
      const csv = legal?.attachments[0]?.content.toString('utf8') ?? '';
      expect(csv).toContain('invoices,INV-7,2026-01-01,2026-01-10,6200.00,6200.00,USD,open');
      expect(csv).toMatch(/messages,2026-03-20 15:00,management,email,team:max,sent/);
      expect(csv).toContain('payments,2026-02-01 12:00,INV-7,200.00,USD,failed');
      const pdf = await pdfText(legal?.attachments[1]?.content as Buffer);
      expect(pdf.pages).toBe(1);
      expect(pdf.text).toContain('Account acme: account history');
      expect(pdf.text).toContain('INV-7');
      expect(pdf.text).toContain('management');
      expect(pdf.text).toContain('failed');
    });
  });
}
