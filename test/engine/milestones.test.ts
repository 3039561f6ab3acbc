import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load-config.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { simulateTimeline } from '../../src/engine/simulate-timeline.ts';
import { createServer } from '../../src/server/create-server.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { exportAudit } from '../../src/store/audit-export.ts';
import { openTestEngine, type TestEngine, touchesOf } from '../support/engine-harness.ts';
import { DIALECTS, dialectAvailable } from '../support/test-store.ts';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
/** Marked ready at 10:00 in New York, a Tuesday. */
const T0 = at('2026-03-10T14:00:00Z');
const KEY = 'test-api-key';
const PUBLIC_URL = 'https://billing.example.com';

/** This suite's own duly.yaml: the milestone policy the README documents, and nothing else. */
const CONFIG_YAML = `
timezone: America/New_York
locale: en-US
currency: USD
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: ${PUBLIC_URL}
channels:
  email: { provider: sandbox, address: email }
  team: { provider: in_app }
team:
  - { id: ana, name: Ana Lopez, email: ana@example.com, roles: [manager] }
dispatch: { plan_ahead: 1h }
policies:
  - id: milestone-approval
    name: Milestone approval
    trigger: milestone
    steps:
      - { id: ready, at: ready, to: client, via: [email], template: milestone-ready }
      - { id: reminder, at: ready+3d, to: client, via: [email], template: milestone-reminder }
      - { id: decided, at: decided, to: owner, via: [team], template: milestone-decided }
`;

async function seedAccount(engine: TestEngine): Promise<void> {
  const { db } = engine.ctx.store;
  const tenant_id = engine.ctx.tenantId;
  await db
    .insertInto('accounts')
    .values({
      tenant_id,
      id: 'acme',
      name: 'Acme <Studio>',
      timezone: 'America/New_York',
      locale: 'en-US',
      currency: 'USD',
      tags: '[]',
      owner: 'ana',
      paused_until: null,
      pause_reason: null,
      auto_pay: 0,
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  await db
    .insertInto('contacts')
    .values({
      tenant_id,
      id: 'jane',
      account_id: 'acme',
      name: 'Jane Doe',
      email: 'jane@acme.example',
      phone: null,
      whatsapp: null,
      telegram: null,
      preferred_channel: null,
      timezone: null,
      locale: null,
      opt_outs: '[]',
      created_at: 0,
      updated_at: 0,
    })
    .execute();
}

async function messages(engine: TestEngine, kind: 'sandbox' | 'in_app') {
  return engine.ctx.store.db
    .selectFrom('local_messages')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}

async function auditEntries(engine: TestEngine): Promise<{ kind: string; actor: string; data: any }[]> {
  let text = '';
  await exportAudit(engine.ctx.store.db, engine.ctx.tenantId, 'jsonl', (chunk) => {
    text += chunk;
  });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** The portal path of the link in a message, which must point at the configured public address. */
function portalPath(text: string): string {
  const url = new RegExp(`${PUBLIC_URL}(/portal/milestones/[A-Za-z0-9_.-]+)`).exec(text);
  if (!url?.[1]) throw new Error(`no portal link in:\n${text}`);
  return url[1];
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`milestones ready for approval on ${dialect}`, () => {
    let engine: TestEngine;
    let app: FastifyInstance;
    let base: string;
    beforeEach(async () => {
      const config = parseConfigText(CONFIG_YAML, 'milestones.yaml', { env: {} });
      engine = await openTestEngine(dialect, { ...config, quietHours: null }, T0);
      await seedAccount(engine);
      app = createServer({ ctx: engine.ctx, metrics: createMetrics(), apiKey: KEY });
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await app.close();
      await engine.close();
    });

    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const decide = (path: string, fields: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const tick = (now: number) => {
      engine.setNow(now);
      return runTick(engine.ctx, { now, random: () => 0.5 });
    };
    const milestoneRow = () =>
      engine.ctx.store.db.selectFrom('milestones').selectAll().executeTakeFirstOrThrow();

    /** Adds M-1 and marks it ready at T0 over the staff API; returns the client's first message. */
    async function readyForReview() {
      const put = await api('PUT', '/v1/milestones/M-1', {
        account_id: 'acme',
        title: 'Phase 1 designs',
        amount: '4500.00',
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({
        id: 'M-1',
        state: 'pending',
        amount: 450_000,
        currency: 'USD',
      });
      const ready = await api('POST', '/v1/milestones/M-1/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ state: 'ready', ready_at: '2026-03-10T14:00:00.000Z' });
      expect(await tick(T0)).toMatchObject({ planned: 1, sent: 1 });
      const [first] = await messages(engine, 'sandbox');
      if (!first) throw new Error('no message to the client');
      return first;
    }

    it('should send the client a portal link that opens over HTTP, remind at ready+3d, and nothing twice', async () => {
      const first = await readyForReview();
      expect(first).toMatchObject({
        recipient_address: 'jane@acme.example',
        subject: 'Ready for your review: Phase 1 designs',
      });
      expect(first.text).toContain('$4,500.00');
      expect(first.text).toContain('The link works until Mar 24, 2026.');
      const page = await fetch(`${base}${portalPath(first.text)}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<h1>Phase 1 designs</h1>');
      expect(html).toContain('For Acme &lt;Studio&gt; · $4,500.00');
      expect(html).toContain('value="approve"');
      expect(page.headers.get('x-frame-options')).toBe('DENY');

      // Re-ticking the same instant and the next day sends nothing new.
      expect(await tick(T0)).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(T0 + DAY)).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(T0 + 3 * DAY)).toMatchObject({ planned: 1, sent: 1 });
      const reminder = (await messages(engine, 'sandbox'))[1];
      expect(reminder?.subject).toBe('Reminder: Phase 1 designs is waiting for your approval');
      expect(portalPath(reminder?.text ?? '')).toBe(portalPath(first.text));
      expect(await tick(T0 + 3 * DAY)).toMatchObject({ planned: 0, sent: 0 });
      expect(await tick(T0 + 10 * DAY)).toMatchObject({ planned: 0, sent: 0 });
      const touches = await touchesOf(engine.ctx);
      expect(touches.map((t) => [t.step_id, t.state, t.scheduled_at])).toEqual([
        ['ready', 'sent', T0],
        ['reminder', 'sent', T0 + 3 * DAY],
      ]);
      expect(touches[0]?.dedupe_key).toContain(`/M-1@${T0}/`);
    });

    it('should record an approval from the portal, cancel the pending reminder and tell the team at once', async () => {
      const first = await readyForReview();
      // The reminder is planned an hour ahead, then the client approves before it goes.
      expect(await tick(T0 + 3 * DAY - 30 * 60_000)).toMatchObject({ planned: 1, sent: 0 });
      engine.setNow(T0 + 3 * DAY - 10 * 60_000);
      const path = portalPath(first.text);
      const answer = await decide(path, { decision: 'approve' });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('Approved on Mar 13, 2026.');

      expect(await milestoneRow()).toMatchObject({
        state: 'approved',
        decided_at: T0 + 3 * DAY - 10 * 60_000,
        decided_by: 'client:jane',
        decision_note: null,
      });
      const touches = await touchesOf(engine.ctx);
      expect(touches.map((t) => [t.step_id, t.audience, t.state, t.reason])).toEqual([
        ['ready', 'client', 'sent', null],
        ['reminder', 'client', 'cancelled', 'milestone approved'],
        ['decided', 'team', 'sent', null],
      ]);
      const [team] = await messages(engine, 'in_app');
      expect(team?.subject).toBe('Acme <Studio>: Phase 1 designs: approved');
      expect(team?.text).toContain('Acme <Studio> approved Phase 1 designs ($4,500.00). It can be invoiced.');
      expect(team?.text).not.toContain('/portal/');

      const audit = await auditEntries(engine);
      expect(audit.find((e) => e.kind === 'milestone.approved')).toMatchObject({
        actor: 'client:jane',
        data: { round: T0 },
      });
      expect(audit.find((e) => e.kind === 'touch.cancelled')).toMatchObject({
        actor: 'client:jane',
        data: { reason: 'milestone approved', subject: 'milestone:M-1' },
      });
      expect(audit.find((e) => e.kind === 'milestone.ready')).toMatchObject({ actor: 'api' });

      // The link now shows the decision and decides nothing twice.
      const again = await decide(path, { decision: 'request_changes', note: 'wait' });
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('Approved on Mar 13, 2026.');
      expect(await milestoneRow()).toMatchObject({ state: 'approved', decision_note: null });
      expect(await tick(T0 + 3 * DAY)).toMatchObject({ planned: 0, sent: 0 });
      expect(await touchesOf(engine.ctx)).toHaveLength(3);
    });

    it('should tell the team what the client wants changed, and start a new round when marked ready again', async () => {
      const first = await readyForReview();
      const path = portalPath(first.text);
      engine.setNow(T0 + DAY);
      const missing = await decide(path, { decision: 'request_changes', note: '  ' });
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('say what should change');
      const answer = await decide(path, {
        decision: 'request_changes',
        note: 'Use the darker logo <please>',
      });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('<blockquote>Use the darker logo &lt;please&gt;</blockquote>');
      expect(await milestoneRow()).toMatchObject({
        state: 'changes_requested',
        decision_note: 'Use the darker logo <please>',
      });
      const [team] = await messages(engine, 'in_app');
      expect(team?.subject).toBe('Acme <Studio>: Phase 1 designs: changes requested');
      expect(team?.text).toContain('Their comment:\nUse the darker logo <please>');
      expect(team?.text).toContain('duly milestone ready M-1');
      // No reminder to the client while the team works on the changes.
      expect(await tick(T0 + 3 * DAY)).toMatchObject({ planned: 0, sent: 0 });

      engine.setNow(T0 + 4 * DAY);
      expect((await api('POST', '/v1/milestones/M-1/ready')).status).toBe(200);
      expect(await tick(T0 + 4 * DAY)).toMatchObject({ planned: 1, sent: 1 });
      const second = (await messages(engine, 'sandbox'))[1];
      expect(second?.subject).toBe('Ready for your review: Phase 1 designs');
      expect(portalPath(second?.text ?? '')).not.toBe(path);
      const old = await fetch(`${base}${path}`);
      expect(old.status).toBe(410);
      expect(await old.text()).toContain('earlier version');
      expect((await fetch(`${base}${portalPath(second?.text ?? '')}`)).status).toBe(200);
      const listed = await api('GET', '/v1/milestones');
      expect(await listed.json()).toMatchObject({
        milestones: [
          { id: 'M-1', state: 'ready', ready_at: '2026-03-14T14:00:00.000Z', decision_note: null },
        ],
      });
    });

    it('should refuse a tampered link and an expired one, and decide nothing', async () => {
      const first = await readyForReview();
      const path = portalPath(first.text);
      const [payload, signature] = path.replace('/portal/milestones/', '').split('.');
      const forged = Buffer.from(
        JSON.stringify(['milestone-portal', engine.ctx.tenantId, 'M-1', T0, T0 + 365 * DAY, 'jane']),
      ).toString('base64url');
      for (const bad of [`${payload}.${signature}x`, `${forged}.${signature}`, 'nonsense']) {
        const page = await fetch(`${base}/portal/milestones/${bad}`);
        expect(page.status).toBe(403);
        expect((await decide(`/portal/milestones/${bad}`, { decision: 'approve' })).status).toBe(403);
      }
      engine.setNow(T0 + 14 * DAY);
      const expired = await fetch(`${base}${path}`);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain(
        'This review link expired on Mar 24, 2026. Please ask Ana Lopez (ana@example.com) for a new one.',
      );
      expect((await decide(path, { decision: 'approve' })).status).toBe(410);
      expect(await milestoneRow()).toMatchObject({ state: 'ready', decided_at: null });
    });

    it('should show the milestone messages in the simulation, and refuse the staff API without its key', async () => {
      await api('PUT', '/v1/milestones/M-1', { account_id: 'acme', title: 'Phase 1 designs' });
      await api('POST', '/v1/milestones/M-1/ready');
      const entries = await simulateTimeline({ ctx: engine.ctx, input: { from: T0, to: T0 + 5 * DAY } });
      expect(
        entries.map((e) => [new Date(e.at).toISOString(), e.trigger, e.subject, e.step, e.recipient]),
      ).toEqual([
        ['2026-03-10T14:00:00.000Z', 'milestone', 'M-1', 'ready', 'Jane Doe'],
        ['2026-03-13T14:00:00.000Z', 'milestone', 'M-1', 'reminder', 'Jane Doe'],
      ]);
      expect(await touchesOf(engine.ctx)).toEqual([]);
      const refused = await fetch(`${base}/v1/milestones`);
      expect(refused.status).toBe(401);
      const unknown = await api('PUT', '/v1/milestones/M-2', { account_id: 'nobody', title: 'x' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { field: 'account_id' } });
    });
  });
}
