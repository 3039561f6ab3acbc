import type { Kysely } from 'kysely';
import type { LocalMessageSink, RenderedMessage } from '../channels/channel.ts';
import type { Database } from '../store/database.ts';
import { insertRows } from '../store/insert-rows.ts';

const LOCAL_MESSAGE_COLUMNS = [
  'tenant_id',
  'kind',
  'channel',
  'recipient_name',
  'recipient_address',
  'subject',
  'text',
  'html',
  'headers',
  'metadata',
  'created_at',
] as const;

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
      const rows = batch.map((p) => [
        tenantId,
        p.kind,
        p.channel,
        p.message.to.name,
        p.message.to.address,
        p.message.subject,
        p.message.text,
        // In-app messages are read in the dashboard as text; the sandbox keeps the email as it would have gone.
        p.kind === 'sandbox' ? p.message.html : null,
        JSON.stringify(p.message.headers),
        JSON.stringify(p.message.metadata),
        p.at,
      ]);
      await insertRows(db, 'local_messages', LOCAL_MESSAGE_COLUMNS, rows, { chunk: 300 });
      return batch.length;
    },
  };
}
