import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Instant } from '../domain/types.ts';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-hash.ts';
import { auditPages } from './audit-pages.ts';
import type { Database } from './database.ts';
import { insertRows } from './insert-rows.ts';

/** One fact for the audit trail. `data` is stored as JSON with sorted keys. */
export interface AuditInput {
  at: Instant;
  kind: string;
  subject: string;
  actor: string;
  data: Record<string, unknown>;
}

export type AuditVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; firstBad: { seq: number; problem: string } };

const AUDIT_COLUMNS = [
  'tenant_id',
  'seq',
  'at',
  'kind',
  'subject',
  'actor',
  'data',
  'prev_hash',
  'hash',
] as const;
const INSERT_CHUNK = 500;
const VERIFY_PAGE = 5000;

/**
 * Appends entries to the tenant's hash chain, in order, inside the caller's transaction (or a new one
 * when `db` is not a transaction), and moves the chain's head forward.
 */
export async function appendAudit(
  db: Kysely<Database>,
  tenantId: string,
  entries: AuditInput[],
): Promise<void> {
  if (entries.length === 0) return;
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAudit(trx, tenantId, entries));
    return;
  }
  // SQLite transactions already hold the write lock; on PostgreSQL concurrent appenders queue here.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select pg_advisory_xact_lock(hashtext(${`duly-audit:${tenantId}`}))`.execute(db);
  }
  const head = await db
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows: unknown[][] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const { at, kind, subject, actor, data } = entries[i] as AuditInput;
    seq += 1;
    const text = canonicalJson(data);
    const hash = auditHash({ prevHash, seq, at, kind, subject, actor, data: text });
    rows[i] = [tenantId, seq, at, kind, subject, actor, text, prevHash, hash];
    prevHash = hash;
  }
  await insertRows(db, 'audit', AUDIT_COLUMNS, rows, { chunk: INSERT_CHUNK });
  await db
    .insertInto('audit_heads')
    .values({ tenant_id: tenantId, seq, hash: prevHash })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ seq, hash: prevHash }))
    .execute();
}

/**
 * Walks the tenant's chain in seq order, a page at a time, and reports the first entry that is not as it
 * was appended: altered (its hash, or the next entry's link to it, no longer matches), removed (a gap in
 * seq), cut off the end, or a head that does not match the last entry. `count` is the number of entries
 * found intact before the first problem.
 */
export async function verifyAudit(db: Kysely<Database>, tenantId: string): Promise<AuditVerdict> {
  const head = await db
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  let count = 0;
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  const bad = (seq: number, problem: string): AuditVerdict => ({
    ok: false,
    count,
    firstBad: { seq, problem },
  });
  for await (const page of auditPages(db, tenantId, VERIFY_PAGE)) {
    for (const row of page) {
      const seq = row.seq;
      if (seq !== lastSeq + 1) {
        const missing =
          seq - 1 === lastSeq + 1 ? `entry ${lastSeq + 1} was` : `entries ${lastSeq + 1}–${seq - 1} were`;
        return bad(lastSeq + 1, `${missing} removed`);
      }
      const fields = { ...row, prevHash: row.prev_hash };
      if (auditHash(fields) !== row.hash) return bad(seq, `entry ${seq} was altered`);
      // This entry is intact, so the hash it recorded for its predecessor is the true one.
      if (row.prev_hash !== lastHash) {
        count -= 1;
        return bad(lastSeq, `entry ${lastSeq} was altered`);
      }
      count += 1;
      lastSeq = seq;
      lastHash = row.hash;
    }
  }
  if (!head) return count === 0 ? { ok: true, count } : bad(1, 'the chain head is missing');
  const headSeq = Number(head.seq);
  if (headSeq > lastSeq) return bad(lastSeq + 1, `entries after ${lastSeq} were removed`);
  if (headSeq < lastSeq)
    return bad(headSeq + 1, `entries after ${headSeq} were added outside the audit trail`);
  if (head.hash !== lastHash)
    return bad(lastSeq, `the chain head does not match entry ${lastSeq} (forged head)`);
  return { ok: true, count };
}
