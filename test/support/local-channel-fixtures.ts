import type { LocalMessageSink, RenderedMessage } from '../../src/channels/channel.ts';

/** A rendered reminder for channel adapter tests, addressed to `address`. */
export function sampleMessage(address: string): RenderedMessage {
  return {
    to: { name: 'Ana Lima', address },
    subject: 'Invoice INV-1001 is overdue',
    text: 'Invoice INV-1001 is 3 days overdue.',
    html: null,
    headers: {},
    idempotencyKey: 'touch-1.c0',
    metadata: {
      tenantId: 't1',
      accountId: 'a1',
      touchIds: ['touch-1'],
      subjectKind: 'invoice',
      subjectIds: ['i1'],
      invoiceNumbers: ['INV-1001'],
      template: 'overdue-1',
    },
  };
}

/** A sink that keeps what in-app and sandbox channels save, in memory. */
export function memorySink() {
  const saved: { kind: string; channel: string; message: RenderedMessage; at: number }[] = [];
  const sink: LocalMessageSink = {
    async save(kind, channel, msg, at) {
      saved.push({ kind, channel, message: msg, at });
      return `msg-${saved.length}`;
    },
  };
  return { sink, saved };
}
