import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../src/channels/channel.ts';
import { smtpAdapter } from '../../src/channels/smtp/smtp-adapter.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { createRenderer } from '../../src/templates/renderer.ts';
import { type SmtpInbox, startSmtpInbox } from '../fakes/smtp-inbox.ts';

const NOW = Date.parse('2026-03-10T14:00:00Z');
const UNSUBSCRIBE = 'https://duly.example.com/u/tok_fr_42';

describe('a French overdue reminder, rendered and sent over SMTP', () => {
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
  });
  afterAll(async () => inbox.close());

  it('arrives with the French subject, the amount in French format and the unsubscribe header', async () => {
    const content = createRenderer().render({
      template: 'overdue-1',
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      recipientName: 'Camille Martin',
      accountName: 'Boulangerie Martin',
      companyName: 'Acme Services',
      invoices: [
        {
          number: 'F-2026-017',
          amount: 123450,
          balance: 123450,
          currency: 'EUR',
          issuedOn: '2026-02-01',
          dueOn: '2026-03-03',
          daysOverdue: 7,
        },
      ],
      unsubscribeUrl: UNSUBSCRIBE,
      payUrl: 'https://pay.example.com/F-2026-017',
      now: NOW,
    });
    const message: RenderedMessage = {
      to: { name: 'Camille Martin', address: 'camille@boulangerie.example' },
      ...content,
      headers: { 'List-Unsubscribe': `<${UNSUBSCRIBE}>` },
      idempotencyKey: 'touch-fr-1.c0',
      metadata: {
        tenantId: 't1',
        accountId: 'a1',
        touchIds: ['touch-fr-1'],
        subjectKind: 'invoice',
        subjectIds: ['i1'],
        invoiceNumbers: ['F-2026-017'],
        template: 'overdue-1',
      },
    };
    const config = smtpAdapter.parseConfig(
      { host: '127.0.0.1', port: inbox.port, from: 'Acme Facturation <facturation@acme.example>' },
      'email',
    );
    const sender = smtpAdapter.open(config, { sink: { save: async () => 'unused' } });

    const result = await sender.send(message, { now: NOW, signal: AbortSignal.timeout(10_000) });
    await sender.close();

    expect(result.kind).toBe('sent');
    const [mail] = inbox.received;
    expect(mail?.envelope.to).toEqual(['camille@boulangerie.example']);
    const parsed = mail?.parsed;
    expect(parsed?.subject).toBe('La facture F-2026-017 est en retard de paiement');
    const amount = formatMoney(123450, 'EUR', 'fr-FR');
    expect(parsed?.text).toContain(amount);
    expect(parsed?.html).toContain(amount);
    expect(parsed?.text).toContain(UNSUBSCRIBE);
    expect(parsed?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(
      `List-Unsubscribe: <${UNSUBSCRIBE}>`,
    );
  });
});
