import { existsSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { derivedContactId } from '../../src/engine/import/read-import-contact.ts';
import { createWorkspace, jsonLines, type Workspace } from '../support/cli-runner.ts';

/** Every day a business day, no quiet hours, 09:00 UTC: the instants below are easy to check by hand. */
const CONFIG = `timezone: UTC
business_days: [mon, tue, wed, thu, fri, sat, sun]
send_time: "09:00"
public_url: http://127.0.0.1:3999
channels:
  email: { provider: sandbox, address: email }
policies:
  - id: dunning
    when: { status: [open, partial], balance_gte: 1 }
    steps:
      - { id: upcoming, at: due-3d, to: client, via: [email], template: upcoming }
      - { id: due-today, at: due, to: client, via: [email], template: due-today }
      - { id: overdue-1, at: due+3d, to: client, via: [email], template: overdue-1 }
`;

const HEADER =
  'account_id,account_name,contact_name,email,timezone,invoice_number,amount,currency,issued_on,due_on';
/** INV-1 falls due on Monday 2026-03-16; INV-2 only at the end of April. */
const INVOICES = `${HEADER}
acme,Acme Plumbing,Jane Doe,jane@acme.example,UTC,INV-1,1200.00,USD,2026-02-14,2026-03-16
globex,Globex,Hank Scorpio,hank@globex.example,UTC,INV-2,300.00,USD,2026-03-01,2026-04-30
`;

const workspaces: Workspace[] = [];
afterAll(async () => {
  await Promise.all(workspaces.map((w) => w.remove()));
});

/** A workspace with CONFIG (or `config`), and INVOICES imported unless `importInvoices` is false. */
async function workspace(options: { config?: string; importInvoices?: boolean } = {}) {
  const w = await createWorkspace(options.config ?? CONFIG);
  workspaces.push(w);
  if (options.importInvoices ?? true) {
    await w.write('invoices.csv', INVOICES);
    const imported = await w.run(['import', 'invoices.csv']);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  }
  return w;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

function count(w: Workspace, table: 'audit' | 'touches' | 'local_messages' | 'invoices'): number {
  const db = w.openDb();
  try {
    return Number((db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe.concurrent('duly import', () => {
  it('should import a CSV, and change nothing when the same file is imported again', async ({ expect }) => {
    const w = await workspace({ importInvoices: false });
    await w.write('invoices.csv', INVOICES);

    const first = await w.run(['import', 'invoices.csv']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      'invoices: 2 created, 0 updated, 0 unchanged; accounts: 2 created, 0 updated; contacts: 2 created, 0 updated\n',
    );

    const again = await w.run(['import', 'invoices.csv', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      accounts: { created: 0, updated: 0, unchanged: 2 },
      contacts: { created: 0, updated: 0, unchanged: 2 },
      invoices: { created: 0, updated: 0, unchanged: 2 },
      touchesCancelled: 0,
    });
    expect(count(w, 'invoices')).toBe(2);
  });

  it('should refuse a file with a bad row, naming FILE:LINE: field, and import none of it', async ({
    expect,
  }) => {
    const w = await workspace();
    // Line 2 is valid on its own; lines 3 and 4 are not. All or nothing: INV-3 must not appear either.
    await w.write(
      'bad.csv',
      `${HEADER}
initech,Initech,Bill Lumbergh,bill@initech.example,UTC,INV-3,500.00,USD,2026-03-01,2026-03-16
initech,Initech,Bill Lumbergh,bill@initech.example,UTC,INV-4,abc,USD,2026-03-01,2026-03-16
initech,Initech,Bill Lumbergh,bill@initech.example,UTC,INV-5,80.00,USD,2026-03-01,2026-02-30
`,
    );

    const result = await w.run(['import', 'bad.csv']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first, second, ...rest] = lines(result.stderr);
    expect(first).toMatch(/^duly: bad\.csv:3: amount: "abc" is not an amount/);
    expect(second).toMatch(/^bad\.csv:4: due_on: "2026-02-30" is not a day on the calendar/);
    expect(rest).toEqual([]);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const simulated = await w.run(['simulate', '--from', '2026-03-01', '--to', '2026-03-31', '--json']);
    expect(simulated.code).toBe(0);
    const invoices = new Set(jsonLines(simulated.stdout).map((e) => e.subject));
    expect(invoices).toEqual(new Set(['INV-1']));
    expect(count(w, 'invoices')).toBe(2);
  });
});

describe.concurrent('duly tick, simulate and outbox', () => {
  it('should simulate the steps in order and write nothing', async ({ expect }) => {
    const w = await workspace();
    const auditBefore = count(w, 'audit');

    const result = await w.run(['simulate', '--from', '2026-03-10', '--to', '2026-03-31', '--json']);

    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((e) => [e.at, e.subject, e.step, e.channel, e.recipient])).toEqual([
      ['2026-03-13T09:00:00.000Z', 'INV-1', 'upcoming', 'email', 'Jane Doe'],
      ['2026-03-16T09:00:00.000Z', 'INV-1', 'due-today', 'email', 'Jane Doe'],
      ['2026-03-19T09:00:00.000Z', 'INV-1', 'overdue-1', 'email', 'Jane Doe'],
    ]);
    const outbox = await w.run(['outbox', '--json']);
    expect(outbox).toMatchObject({ code: 0, stdout: '' });
    expect(count(w, 'touches')).toBe(0);
    expect(count(w, 'local_messages')).toBe(0);
    expect(count(w, 'audit')).toBe(auditBefore);
  });

  it('should send the one reminder due at --now, once, and list it as sent', async ({ expect }) => {
    const w = await workspace();

    const tick = await w.run(['tick', '--now', '2026-03-13T09:00:00Z', '--json']);
    expect(tick.code).toBe(0);
    expect(JSON.parse(tick.stdout)).toEqual({
      planned: 1,
      sent: 1,
      deferred: 0,
      skipped: 0,
      cancelled: 0,
      failed: 0,
    });

    const again = await w.run(['tick', '--now', '2026-03-13T09:00:00Z', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({
      planned: 0,
      sent: 0,
      deferred: 0,
      skipped: 0,
      cancelled: 0,
      failed: 0,
    });

    const sent = await w.run(['outbox', '--state', 'sent', '--json']);
    expect(sent.code).toBe(0);
    expect(jsonLines(sent.stdout)).toEqual([
      {
        id: expect.any(Number),
        state: 'sent',
        due_at: '2026-03-13T09:00:00.000Z',
        invoice: 'INV-1',
        step: 'upcoming',
        channel: 'email',
        // Contacts imported without contact_id get an id derived from, not made of, their address.
        recipient: `Jane Doe (${derivedContactId('acme', 'jane@acme.example')})`,
        attempts: 1,
        reason: null,
      },
    ]);
    const db = w.openDb();
    const messages = db.prepare('select recipient_address, text from local_messages').all();
    db.close();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ recipient_address: 'jane@acme.example' });
    expect(String(messages[0]?.text)).toContain('INV-1');
  });

  it('should refuse an unknown --state in one line', async ({ expect }) => {
    const w = await workspace({ importInvoices: false });
    const result = await w.run(['outbox', '--state', 'lost']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      'duly: --state: unknown state "lost"; use one of planned, sending, sent, delivered, failed, retrying, deferred, cancelled, skipped, dead',
    ]);
  });
});

describe.concurrent('duly pay', () => {
  it('should record a partial then a full payment, which cancels the pending reminder', async ({
    expect,
  }) => {
    const w = await workspace();
    // Planned an hour ahead of its 09:00 send, not sent yet.
    const tick = await w.run(['tick', '--now', '2026-03-13T08:30:00Z', '--json']);
    expect(JSON.parse(tick.stdout)).toMatchObject({ planned: 1, sent: 0 });

    const partial = await w.run(['pay', 'INV-1', '--amount', '200']);
    expect(partial).toMatchObject({ code: 0, stderr: '' });
    expect(partial.stdout).toBe('INV-1: paid 200.00 USD, balance 1000.00 USD (partial)\n');

    const full = await w.run(['pay', 'INV-1', '--json']);
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout)).toEqual({
      invoiceNumber: 'INV-1',
      paid: '1000.00',
      balance: '0.00',
      currency: 'USD',
      status: 'paid',
      cancelledTouches: 1,
    });

    const cancelled = await w.run(['outbox', '--state', 'cancelled', '--json']);
    expect(jsonLines(cancelled.stdout)).toEqual([
      expect.objectContaining({ invoice: 'INV-1', step: 'upcoming', reason: 'invoice paid' }),
    ]);
  });

  it('should say in one line, exit 1, when the invoice does not exist', async ({ expect }) => {
    const w = await workspace();
    const result = await w.run(['pay', 'INV-404', '--amount', '10']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual(['duly: invoice: no invoice numbered "INV-404"']);
  });
});

describe.concurrent('duly audit', () => {
  it('should export every entry, verify the chain, and name the entry altered in the file', async ({
    expect,
  }) => {
    const w = await workspace();
    await w.run(['tick', '--now', '2026-03-13T09:00:00Z']);
    const entries = count(w, 'audit');

    const verified = await w.run(['audit', 'verify']);
    expect(verified).toMatchObject({ code: 0, stdout: `audit trail intact: ${entries} entries\n` });

    const jsonl = await w.run(['audit', 'export', '--format', 'jsonl']);
    expect(jsonl.code).toBe(0);
    const records = jsonLines(jsonl.stdout);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
    expect(records.map((r) => r.kind)).toEqual(['config.changed', 'import', 'touch.sent']);

    const csv = await w.run(['audit', 'export', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.split('\r\n').filter((line) => line !== '');
    expect(rows).toHaveLength(entries + 1);
    expect(rows[0]).toBe('seq,at,time,kind,subject,actor,data,prev_hash,hash');
    expect(rows[entries]).toMatch(new RegExp(`^${entries},`));

    // Someone with access to the file quietly changes what the import recorded.
    const db = w.openDb();
    const { seq } = db.prepare(`select seq from audit where kind = 'import'`).get() as { seq: number };
    const changed = db
      .prepare(`update audit set data = replace(data, '"rows":2', '"rows":1') where seq = ?`)
      .run(seq);
    db.close();
    expect(changed.changes).toBe(1);

    const broken = await w.run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(lines(broken.stderr)).toEqual([
      `duly: audit trail broken: entry ${seq} was altered (${seq - 1} entries checked)`,
    ]);
  });
});

describe.concurrent('a config file with an error', () => {
  it('should stop every command with exit 2, naming the file, line and field', async ({ expect }) => {
    const config = CONFIG.replace('at: due-3d', 'at: due+3');
    const line = config.split('\n').findIndex((l) => l.includes('at: due+3')) + 1;
    const w = await workspace({ config, importInvoices: false });

    for (const args of [['outbox'], ['tick', '--now', '2026-03-13T09:00:00Z']]) {
      const result = await w.run(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`duly.yaml:${line}: policies[0].steps[0].at: "due+3" is not an offset`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // Nothing was opened or written before the config was read.
    expect(existsSync(w.dbPath)).toBe(false);
  });
});
