import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCsv } from '../../src/cli/demo-data.ts';
import { seedDemoTriggers } from '../../src/cli/demo-triggers.ts';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../../src/config/load-config.ts';
import { importInvoices } from '../../src/engine/import/import-rows.ts';
import { ingestEvent } from '../../src/engine/ingest-event.ts';
import { runTick } from '../../src/engine/run-tick.ts';
import { simulateTimeline } from '../../src/engine/simulate-timeline.ts';
import { openTestEngine, type TestEngine } from '../support/engine-harness.ts';

const NOW = Date.parse('2026-03-04T15:00:00Z'); // a Wednesday, 10:00 in New York

describe('duly simulate over the demo book', () => {
  let engine: TestEngine;
  let dir: string;
  beforeEach(async () => {
    engine = await openTestEngine('sqlite', loadConfigFile(DEFAULT_CONFIG_PATH, { env: {} }), NOW);
    dir = await mkdtemp(join(tmpdir(), 'duly-simulate-'));
    const file = join(dir, 'demo.csv');
    await writeFile(file, demoCsv('2026-03-04'));
    await importInvoices({ ctx: engine.ctx, input: { file } });
    await seedDemoTriggers(engine.ctx, '2026-03-04');
  });
  afterEach(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should show every kind of trigger on one timeline, in time order, and write nothing', async () => {
    await runTick(engine.ctx, { now: NOW });
    // A card declined a minute ago: its client notice waits in the outbox for 15 minutes.
    await ingestEvent({
      ctx: engine.ctx,
      input: {
        id: 'evt-demo',
        type: 'payment.failed',
        data: { invoice_number: 'INV-1001', reason: 'card declined' },
      },
    });
    const before = await engine.ctx.store.db.selectFrom('touches').select('id').execute();
    const entries = await simulateTimeline({
      ctx: engine.ctx,
      input: { from: NOW, to: NOW + 45 * 86_400_000 },
    });
    const triggers = new Set(entries.map((e) => e.trigger));
    expect([...triggers].sort()).toEqual([
      'contract_end',
      'invoice',
      'milestone',
      'payment_failed',
      'promise_broken',
      'recurring',
      'renewal',
      'summary',
      'threshold',
    ]);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => a - b));
    expect(entries.find((e) => e.trigger === 'contract_end')).toMatchObject({
      subject: 'C-ACME-SUPPORT',
      step: 'notice-30d',
      audience: 'team',
    });
    expect(entries.find((e) => e.trigger === 'payment_failed')).toMatchObject({
      subject: expect.any(String),
      step: 'client-notice',
      at: NOW + 15 * 60_000,
    });
    const after = await engine.ctx.store.db.selectFrom('touches').select('id').execute();
    expect(after).toHaveLength(before.length);
  });
});
