import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspace, jsonLines, type Workspace } from '../support/cli-runner.ts';

const CONFIG = `timezone: UTC
business_days: [mon, tue, wed, thu, fri, sat, sun]
send_time: "09:00"
public_url: http://127.0.0.1:3999
channels:
  email: { provider: sandbox, address: email }
team:
  - { id: ana, name: Ana Lopez, email: ana@example.com }
policies:
  - id: recurring-invoice
    trigger: recurring
    steps:
      - { id: upcoming, at: next_invoice-5d, to: client, via: [email], template: recurring-upcoming }
      - { id: sent, at: issued, to: client, via: [email], template: recurring-sent }
  - id: contract-ending
    trigger: contract_end
    steps:
      - { id: notice-30d, at: end-30d, to: owner, via: [email], template: contract-ending }
      - { id: notice-7d, at: end-7d, to: owner, via: [email], template: contract-ending }
  - id: subscription-renewal
    trigger: renewal
    steps:
      - { id: notice, at: renewal-7d, to: client, via: [email], template: subscription-renewal }
`;

const workspaces: Workspace[] = [];
afterAll(async () => {
  await Promise.all(workspaces.map((w) => w.remove()));
});

describe('duly contracts (real process)', () => {
  it('should import, list, simulate, tick and decide', async () => {
    const w = await createWorkspace(CONFIG);
    workspaces.push(w);
    await w.write(
      'acme.csv',
      'account_id,account_name,email,invoice_number,amount,currency,issued_on,due_on\nacme,Acme,jane@acme.example,INV-1,10.00,USD,2026-03-01,2026-03-31\n',
    );
    expect((await w.run(['import', 'acme.csv'])).code).toBe(0);
    await w.write(
      'contracts.csv',
      'id,account_id,name,kind,amount,currency,ends_on\nC-1,acme,Maintenance,contract,12000,USD,2026-04-20\nC-2,nobody,Other,contract,,,\n',
    );
    const refused = await w.run(['contracts', 'import', 'contracts.csv']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'duly: contracts.csv:3: account_id: contract "C-2": no account with id "nobody"; import the account first (duly import)',
    );
    await w.write(
      'contracts.csv',
      'id,account_id,name,kind,amount,currency,ends_on\nC-1,acme,Maintenance,contract,12000,USD,2026-04-20\n',
    );
    const imported = await w.run(['contracts', 'import', 'contracts.csv']);
    expect(imported.stdout).toContain('contracts: 1 created, 0 updated, 0 unchanged');
    const listed = await w.run(['contracts', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: 'C-1', amount: '12000.00', ends_on: '2026-04-20' }),
    ]);
    const simulated = await w.run(['simulate', '--from', '2026-03-10', '--to', '2026-04-30', '--json']);
    const entries = jsonLines(simulated.stdout).filter((e) => e.subject === 'C-1');
    expect(entries.map((e) => [e.step, e.trigger])).toEqual([
      ['notice-30d', 'contract_end'],
      ['notice-7d', 'contract_end'],
    ]);
    expect((await w.run(['tick', '--now', '2026-03-21T09:00:00Z'])).code).toBe(0);
    const decided = await w.run(['contract', 'decide', 'C-1', '--decision', 'renew', '--note', 'agreed']);
    expect(decided.stdout.trim()).toBe('C-1: decision recorded: renew; 0 pending notices cancelled');
    const wrong = await w.run(['contract', 'decide', 'C-1', '--decision', 'maybe']);
    expect(wrong.code).toBe(2);
    const missing = await w.run(['contract', 'decide', 'C-9', '--decision', 'end']);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'duly: contract: no contract with id "C-9"']);
    const later = await w.run(['simulate', '--from', '2026-03-22', '--to', '2026-04-30', '--json']);
    expect(jsonLines(later.stdout).filter((e) => e.subject === 'C-1')).toEqual([]);
    const db = w.openDb();
    try {
      const sent = db.prepare("select step_id, state from touches where subject_kind = 'contract'").all();
      expect(sent).toEqual([{ step_id: 'notice-30d', state: 'sent' }]);
    } finally {
      db.close();
    }
  });
});
