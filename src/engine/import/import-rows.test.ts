import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/domain-fixtures.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../../../test/support/test-store.ts';
import { verifyAudit } from '../../store/audit.ts';
import type { Store } from '../../store/connect.ts';
import type { Ctx } from '../context.ts';
import { importInvoices } from './import-rows.ts';
import { derivedContactId } from './read-import-contact.ts';

const FIXED = Date.UTC(2026, 2, 10, 12);
const HEADER =
  'account_id,account_name,invoice_number,amount,balance,currency,issued_on,due_on,status,email,tags';
const GOOD = [
  'acme,Acme Inc,INV-1,100.00,,USD,2026-03-01,2026-03-31,,ann@acme.test,vip',
  'acme,Acme Inc,INV-2,50.00,20.00,USD,2026-02-01,2026-03-01,partial,ann@acme.test,',
  'zen,Zen Ltd,INV-3,9000,,JPY,2026-01-01,2026-01-31,paid,,',
];

let dir: string;
async function file(name: string, ...lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.join('\n'));
  return path;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`importInvoices on ${dialect}`, () => {
    let store: Store;
    let ctx: Ctx;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      ctx = {
        store,
        tenantId: 'default',
        config: testConfig(),
        clock: () => FIXED,
        logger: pino({ level: 'silent' }),
        actor: 'test',
      };
      dir = await mkdtemp(join(tmpdir(), 'duly-import-'));
    });
    afterEach(() => store?.close());

    const run = (path: string, onProgress?: (done: number, total: number) => void) =>
      importInvoices({ ctx, input: { file: path, onProgress } });
    const invoices = () => store.db.selectFrom('invoices').selectAll().orderBy('number').execute();
    const auditKinds = async () =>
      (await store.db.selectFrom('audit').select('kind').orderBy('seq').execute()).map((r) => r.kind);

    it('should create accounts, contacts and invoices, then change nothing on a re-import', async () => {
      const path = await file('march.csv', HEADER, ...GOOD);
      const progress: [number, number][] = [];
      expect(await run(path, (done, total) => progress.push([done, total]))).toEqual({
        accounts: { created: 2, updated: 0, unchanged: 0 },
        contacts: { created: 1, updated: 0, unchanged: 0 },
        invoices: { created: 3, updated: 0, unchanged: 0 },
        touchesCancelled: 0,
      });
      expect(progress.at(-1)).toEqual([3, 3]);
      const rows = await invoices();
      expect(rows.map((r) => [r.number, r.amount, r.balance, r.status, r.next_plan_at, r.source])).toEqual([
        ['INV-1', 10000, 10000, 'open', 0, 'import'],
        ['INV-2', 5000, 2000, 'partial', 0, 'import'],
        ['INV-3', 9000, 0, 'paid', null, 'import'],
      ]);
      expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(rows[0]).toMatchObject({
        account_id: 'acme',
        created_at: FIXED,
        updated_at: FIXED,
        disputed: 0,
      });
      const acme = await store.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', 'acme')
        .executeTakeFirstOrThrow();
      expect(acme).toMatchObject({ name: 'Acme Inc', currency: 'USD', tags: '["vip"]' });
      const contact = await store.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
      expect(contact).toMatchObject({
        id: derivedContactId('acme', 'ann@acme.test'),
        account_id: 'acme',
        name: 'Acme Inc',
        email: 'ann@acme.test',
      });

      expect(await run(path)).toEqual({
        accounts: { created: 0, updated: 0, unchanged: 2 },
        contacts: { created: 0, updated: 0, unchanged: 1 },
        invoices: { created: 0, updated: 0, unchanged: 3 },
        touchesCancelled: 0,
      });
      expect(await invoices()).toEqual(rows);
      expect(await auditKinds()).toEqual(['import', 'import']);
      expect(await verifyAudit(store.db, 'default')).toEqual({ ok: true, count: 2 });
    });

    it('should ask for re-planning only of invoices whose balance changed', async () => {
      await run(await file('a.csv', HEADER, ...GOOD));
      await store.db
        .updateTable('invoices')
        .set({ next_plan_at: FIXED + 1000 })
        .execute();
      const changed = GOOD.map((line) => line.replace('INV-1,100.00,,', 'INV-1,100.00,60.00,'));
      const result = await run(await file('b.csv', HEADER, ...changed));
      expect(result.invoices).toEqual({ created: 0, updated: 1, unchanged: 2 });
      expect((await invoices()).map((r) => [r.number, r.balance, r.next_plan_at])).toEqual([
        ['INV-1', 6000, 0],
        ['INV-2', 2000, FIXED + 1000],
        ['INV-3', 0, FIXED + 1000],
      ]);
    });

    it('should report every bad row with its line and write nothing', async () => {
      const path = await file(
        'bad.csv',
        HEADER,
        GOOD[0] as string,
        'acme,Acme Inc,INV-4,10.00,,USD,2026-02-30,2026-03-31,,,',
        'acme,Acme Inc,INV-5,12.345,,USD,2026-03-01,2026-03-31,,,',
        'acme,Acme Inc,INV-6,10.00,,ABC,2026-03-01,2026-03-31,,,',
        ',Acme Inc,INV-7,10.00,,USD,2026-03-01,2026-03-31,,,',
        'acme,Acme Inc,INV-8,10.00,,USD,2026-03-01,2026-03-31,,ann@,',
      );
      const error = await run(path).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'invalid_input',
        place: { file: path, line: 3, field: 'issued_on' },
      });
      expect((error as Error).message.split('\n')).toEqual([
        `${path}:3: issued_on: "2026-02-30" is not a day on the calendar`,
        `${path}:4: amount: "12.345" has more than 2 decimal places for USD`,
        `${path}:5: currency: "ABC" is not an ISO 4217 currency code, like USD`,
        `${path}:6: account_id: is required`,
        `${path}:7: email: "ann@" is not an email address`,
      ]);
      expect(await invoices()).toEqual([]);
      expect(await store.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
      expect(await auditKinds()).toEqual([]);
    });

    it('should import JSON', async () => {
      const records = [
        {
          account_id: 'a',
          account_name: 'A',
          invoice_number: 'J-1',
          amount: '12.50',
          currency: 'EUR',
          issued_on: '2026-03-01',
          due_on: '2026-03-15',
          phone: '+44 20 7946 0958',
          disputed: true,
          external_id: 'x-1',
          source: 'sheet',
        },
      ];
      const result = await run(await file('in.json', JSON.stringify({ invoices: records })));
      expect(result.invoices.created).toBe(1);
      expect(await invoices()).toMatchObject([
        {
          number: 'J-1',
          amount: 1250,
          balance: 1250,
          disputed: 1,
          source: 'sheet',
          external_id: 'x-1',
          next_plan_at: 0,
        },
      ]);
      const contact = await store.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
      expect(contact).toMatchObject({
        id: derivedContactId('a', '+442079460958'),
        phone: '+442079460958',
        name: 'A',
      });
    });

    it('should cancel pending touches of an invoice that is now paid, and keep it paid on an older file', async () => {
      const first = await file('open.csv', HEADER, ...GOOD);
      await run(first);
      const inv1 = (await invoices())[0];
      const touch = (dedupe_key: string, state: string) => ({
        tenant_id: 'default',
        dedupe_key,
        policy_id: 'standard',
        step_id: 'due',
        step_index: 1,
        cycle: 0,
        subject_id: inv1?.id ?? '',
        account_id: 'acme',
        audience: 'client',
        recipient: derivedContactId('acme', 'ann@acme.test'),
        channel: 'email',
        template: 'due-today',
        scheduled_at: FIXED,
        due_at: FIXED,
        state,
        attempts: 0,
        next_attempt_at: FIXED,
        created_at: FIXED,
        updated_at: FIXED,
      });
      await store.db
        .insertInto('touches')
        .values([touch('k-planned', 'planned'), touch('k-sent', 'sent')])
        .execute();

      const paid = GOOD.map((line) =>
        line.replace(
          'INV-1,100.00,,USD,2026-03-01,2026-03-31,',
          'INV-1,100.00,,USD,2026-03-01,2026-03-31,paid',
        ),
      );
      const result = await run(await file('paid.csv', HEADER, ...paid));
      expect(result).toMatchObject({ invoices: { updated: 1, unchanged: 2 }, touchesCancelled: 1 });
      const touches = await store.db
        .selectFrom('touches')
        .select(['dedupe_key', 'state', 'reason', 'updated_at'])
        .orderBy('dedupe_key')
        .execute();
      expect(touches).toEqual([
        { dedupe_key: 'k-planned', state: 'cancelled', reason: 'invoice paid', updated_at: FIXED },
        { dedupe_key: 'k-sent', state: 'sent', reason: null, updated_at: FIXED },
      ]);
      expect((await invoices())[0]).toMatchObject({ status: 'paid', balance: 0, next_plan_at: 0 });
      expect(await auditKinds()).toEqual(['import', 'invoice.status_changed', 'touch.cancelled', 'import']);
      const cancelled = await store.db
        .selectFrom('audit')
        .selectAll()
        .where('kind', '=', 'touch.cancelled')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(cancelled.data)).toEqual({
        reason: 'invoice paid',
        subject: `invoice:${inv1?.id}`,
        dedupe_key: 'k-planned',
      });
      expect(await verifyAudit(store.db, 'default')).toMatchObject({ ok: true, count: 4 });

      // The first file has no status for INV-1: importing it again must not reopen a paid invoice.
      expect((await run(first)).invoices).toEqual({ created: 0, updated: 0, unchanged: 3 });
    });
  });
}
