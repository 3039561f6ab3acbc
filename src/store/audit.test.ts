import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, dialectAvailable, openTestStore } from '../../test/support/test-store.ts';
import { type AuditInput, appendAudit, verifyAudit } from './audit.ts';
import { exportAudit } from './audit-export.ts';
import { auditHash } from './audit-hash.ts';
import type { Store } from './connect.ts';

const T = 'default';
const AT = Date.UTC(2026, 2, 10, 9, 30);

const entry = (i: number, data: Record<string, unknown> = { n: i }): AuditInput => ({
  at: AT + i,
  kind: 'touch.sent',
  subject: `touch:${i}`,
  actor: 'system',
  data,
});
const entries = (from: number, count: number) => Array.from({ length: count }, (_, i) => entry(from + i));

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`audit trail on ${dialect}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(() => store?.close());

    const append = (list: AuditInput[]) => store.db.transaction().execute((trx) => appendAudit(trx, T, list));

    it('should chain entries across calls and verify them', async () => {
      await append(entries(1, 3));
      await appendAudit(store.db, T, [entry(4, { z: 1, a: { y: 2, b: [3, { d: 4, c: 5 }] } })]);
      const rows = await store.db.selectFrom('audit').selectAll().orderBy('seq').execute();
      expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
      expect(rows[3]?.data).toBe('{"a":{"b":[3,{"c":5,"d":4}],"y":2},"z":1}');
      expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
      const head = await store.db.selectFrom('audit_heads').selectAll().executeTakeFirstOrThrow();
      expect([Number(head.seq), head.hash]).toEqual([4, rows[3]?.hash]);
      expect(await verifyAudit(store.db, T)).toEqual({ ok: true, count: 4 });
    });

    it('should verify an empty trail and a chain longer than one page', async () => {
      expect(await verifyAudit(store.db, T)).toEqual({ ok: true, count: 0 });
      await append(entries(1, 10_001));
      expect(await verifyAudit(store.db, T)).toEqual({ ok: true, count: 10_001 });
    });

    describe('tampering', () => {
      beforeEach(() => append(entries(1, 100)));
      const at42 = () => store.db.updateTable('audit').where('seq', '=', 42);
      const problem = async () => {
        const verdict = await verifyAudit(store.db, T);
        return verdict.ok ? verdict : { ...verdict.firstBad, count: verdict.count };
      };

      it('should name an entry whose data was updated', async () => {
        await at42().set({ data: '{"n":4200}' }).execute();
        expect(await problem()).toEqual({ seq: 42, problem: 'entry 42 was altered', count: 41 });
      });

      it('should name an entry that was altered and re-hashed', async () => {
        const row = await store.db
          .selectFrom('audit')
          .selectAll()
          .where('seq', '=', 42)
          .executeTakeFirstOrThrow();
        const data = '{"n":4200}';
        const hash = auditHash({ ...row, seq: 42, at: Number(row.at), prevHash: row.prev_hash, data });
        await at42().set({ data, hash }).execute();
        expect(await problem()).toEqual({ seq: 42, problem: 'entry 42 was altered', count: 41 });
      });

      it('should name a removed entry in the middle', async () => {
        await store.db.deleteFrom('audit').where('seq', '=', 42).execute();
        expect(await problem()).toEqual({ seq: 42, problem: 'entry 42 was removed', count: 41 });
      });

      it('should notice entries cut off the end', async () => {
        await store.db.deleteFrom('audit').where('seq', '>=', 99).execute();
        expect(await problem()).toEqual({ seq: 99, problem: 'entries after 98 were removed', count: 98 });
      });

      it('should notice a forged head', async () => {
        await store.db
          .updateTable('audit_heads')
          .set({ hash: 'f'.repeat(64) })
          .execute();
        expect(await problem()).toMatchObject({ seq: 100, problem: expect.stringContaining('forged head') });
      });
    });

    it('should export JSONL and CSV that round-trip, quoting commas and quotes', async () => {
      const tricky = 'Acme, "Big" Co.\nline two';
      await append([entry(1, { name: tricky }), ...entries(2, 4)]);
      const stored = await store.db.selectFrom('audit').selectAll().orderBy('seq').execute();

      const jsonl: string[] = [];
      expect(await exportAudit(store.db, T, 'jsonl', (chunk) => void jsonl.push(chunk))).toBe(5);
      const lines = jsonl
        .join('')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatchObject({ seq: 1, time: '2026-03-10T09:30:00.001Z', data: { name: tricky } });
      expect(lines.map((l) => l.hash)).toEqual(stored.map((r) => r.hash));

      const chunks: string[] = [];
      expect(await exportAudit(store.db, T, 'csv', async (chunk) => void chunks.push(chunk))).toBe(5);
      const csv = chunks.join('');
      expect(csv).toContain('"{""name"":""Acme, \\""Big\\"" Co.\\nline two""}"');
      const records = parse(csv, { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(5);
      expect(records.map((r) => r.data)).toEqual(stored.map((r) => r.data));
      expect(JSON.parse(records[0]?.data ?? '')).toEqual({ name: tricky });
    });

    it('should keep one valid chain when two transactions append at once', async () => {
      const slowAppender = (from: number) =>
        store.db.transaction().execute(async (trx) => {
          await appendAudit(trx, T, entries(from, 300));
          await new Promise((resolve) => setTimeout(resolve, 50));
          await appendAudit(trx, T, entries(from + 300, 300));
        });
      await Promise.all([slowAppender(1), slowAppender(1001), slowAppender(2001)]);
      expect(await verifyAudit(store.db, T)).toEqual({ ok: true, count: 1800 });
      const subjects = (await store.db.selectFrom('audit').select('subject').orderBy('seq').execute()).map(
        (r) => Number(r.subject.slice('touch:'.length)),
      );
      // Each transaction's entries stay contiguous: appenders were serialized, not interleaved.
      for (let i = 0; i < subjects.length; i += 600) expect(subjects[i + 599]).toBe((subjects[i] ?? 0) + 599);
    });
  });
}
