import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

export interface StoredAuditEntry {
  seq: number;
  at: number;
  kind: string;
  subject: string;
  actor: string;
  /** The canonical JSON text that was hashed. */
  data: string;
  prev_hash: string;
  hash: string;
}

/** The tenant's audit trail in seq order, a page at a time, so that millions of entries never sit in memory. */
export async function* auditPages(
  db: Kysely<Database>,
  tenantId: string,
  pageSize = 5000,
): AsyncGenerator<StoredAuditEntry[]> {
  let lastSeq = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit')
      .select(['seq', 'at', 'kind', 'subject', 'actor', 'data', 'prev_hash', 'hash'])
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', lastSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page.map((row) => ({ ...row, seq: Number(row.seq), at: Number(row.at) }));
    lastSeq = Number(page[page.length - 1]?.seq);
    if (page.length < pageSize) return;
  }
}
