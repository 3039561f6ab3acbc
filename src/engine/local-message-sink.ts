import type { LocalMessageSink, RenderedMessage } from '../channels/channel.ts';
import type { Store } from '../store/connect.ts';

interface Pending {
  kind: 'in_app' | 'sandbox';
  channel: string;
  message: RenderedMessage;
  at: number;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Stores in-app and sandbox messages. Saves that arrive together are written in one multi-row
 * insert, so a tick that "sends" 100,000 sandbox messages does not pay 100,000 commits.
 */
export function storeMessageSink(store: Store, tenantId: string): LocalMessageSink {
  let queue: Pending[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      const rows = await store.db
        .insertInto('local_messages')
        .values(
          batch.map((p) => ({
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
        .returning('id')
        .execute();
      for (const [i, p] of batch.entries()) p.resolve(`${p.kind}:${rows[i]?.id}`);
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };
  return {
    save(kind, channel, message, at) {
      return new Promise<string>((resolve, reject) => {
        queue.push({ kind, channel, message, at, resolve, reject });
        if (queue.length >= 200) void flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
