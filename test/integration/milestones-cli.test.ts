import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspace, jsonLines, type Workspace } from '../support/cli-runner.ts';

const CONFIG = `timezone: UTC
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: http://127.0.0.1:3999
channels:
  email: { provider: sandbox, address: email }
  team: { provider: in_app }
team:
  - { id: ana, name: Ana Lopez, email: ana@example.com }
policies:
  - id: milestone-approval
    trigger: milestone
    steps:
      - { id: ready, at: ready, to: client, via: [email], template: milestone-ready }
      - { id: reminder, at: ready+3d, to: client, via: [email], template: milestone-reminder }
      - { id: decided, at: decided, to: owner, via: [team], template: milestone-decided }
`;

const ACCOUNTS = `account_id,account_name,contact_name,email,timezone,invoice_number,amount,currency,issued_on,due_on
acme,Acme Plumbing,Jane Doe,jane@acme.example,UTC,INV-1,1200.00,USD,2026-02-14,2026-03-16
`;

const DAY = 86_400_000;
const workspaces: Workspace[] = [];
afterAll(async () => {
  await Promise.all(workspaces.map((w) => w.remove()));
});

describe('duly milestone', () => {
  it('should add a milestone, mark it ready, list it, tick it out and simulate the reminder', async () => {
    const w = await createWorkspace(CONFIG);
    workspaces.push(w);
    await w.write('accounts.csv', ACCOUNTS);
    expect((await w.run(['import', 'accounts.csv'])).code).toBe(0);

    const added = await w.run([
      'milestone',
      'add',
      'M-1',
      '--account',
      'acme',
      '--title',
      'Phase 1',
      '--amount',
      '4500',
    ]);
    expect(added.stdout).toBe('M-1: pending (Phase 1)\n');
    const ready = await w.run(['milestone', 'ready', 'M-1']);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/^M-1: ready for review since \d{4}-\d{2}-\d{2}T/);
    const again = await w.run(['milestone', 'ready', 'M-1']);
    expect(again.stdout).toMatch(/^M-1: already waiting for the client since /);

    const [listed] = jsonLines((await w.run(['milestones', '--json'])).stdout) as {
      state: string;
      ready_at: string;
      amount: number;
    }[];
    expect(listed).toMatchObject({ state: 'ready', amount: 450_000 });
    const readyAt = Date.parse(listed?.ready_at ?? '');

    const tick = await w.run(['tick', '--now', new Date(readyAt).toISOString()]);
    expect(tick.code).toBe(0);
    const simulated = await w.run([
      'simulate',
      '--from',
      new Date(readyAt).toISOString(),
      '--to',
      new Date(readyAt + 5 * DAY).toISOString(),
      '--json',
    ]);
    expect(jsonLines(simulated.stdout)).toEqual([
      expect.objectContaining({
        trigger: 'milestone',
        subject: 'M-1',
        step: 'reminder',
        recipient: 'Jane Doe',
        at: new Date(readyAt + 3 * DAY).toISOString(),
      }),
    ]);
    const audit = w.openDb();
    try {
      const kinds = audit
        .prepare("select kind, actor from audit where kind like 'milestone.%' order by seq")
        .all();
      expect(kinds).toEqual([
        { kind: 'milestone.created', actor: expect.stringMatching(/^cli:/) },
        { kind: 'milestone.ready', actor: expect.stringMatching(/^cli:/) },
      ]);
    } finally {
      audit.close();
    }
  });

  it('should say in one line what to fix', async () => {
    const w = await createWorkspace(CONFIG);
    workspaces.push(w);
    const missing = await w.run(['milestone', 'ready', 'M-9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('duly: id: no milestone with id "M-9"\n');
    const noAccount = await w.run(['milestone', 'add', 'M-2', '--account', 'nobody', '--title', 'x']);
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toBe('duly: account_id: no account with id "nobody"; import it first\n');
    const badState = await w.run(['milestones', '--state', 'done']);
    expect(badState.code).toBe(2);
    expect(badState.stderr.trim().split('\n')).toHaveLength(1);
  });
});
