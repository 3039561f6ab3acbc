import type { Kysely } from 'kysely';
import type { LocalMessageSink, RenderedMessage } from '../channels/channel.ts';
import type { Database } from '../store/database.ts';

interface PendingMessage {
  kind: 'in_app' | 'sandbox';
  channel: string;
  message: RenderedMessage;
  at: number;
}

/**
 * Messages for channels that deliver inside Duly (in-app, sandbox). They are held until the
 * dispatcher records the touch's outcome and are written in that same transaction: the message and
 * "sent" commit together, so these channels never deliver twice and never lose a message.
 */
export interface LocalMessageBuffer extends LocalMessageSink {
  /** Writes every held message within the caller's transaction. */
  writePending(db: Kysely<Database>, tenantId: string): Promise<number>;
}

export function createLocalMessageBuffer(): LocalMessageBuffer {
  let pending: PendingMessage[] = [];
  return {
    async save(kind, channel, message, at) {
      pending.push({ kind, channel, message, at });
      return `${kind}:${message.idempotencyKey}`;
    },
    async writePending(db, tenantId) {
      const batch = pending;
      pending = [];
      for (let i = 0; i < batch.length; i += 300) {
        await db
          .insertInto('local_messages')
          .values(
            batch.slice(i, i + 300).map((p) => ({
              tenant_id: tenantId,
              kind: p.kind,
              channel: p.channel,
              recipient_name: p.message.to.name,
              recipient_address: p.message.to.address,
              subject: p.message.subject,
              text: p.message.text,
              html: p.message.html,
              headers: JSON.stringify(p.message.headers),
              metadata: JSON.stringify(p.message.metadata),
              created_at: p.at,
              read_at: null,
            })),
          )
          .execute();
      }
      return batch.length;
    },
  };
}
