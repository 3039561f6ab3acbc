import pino from 'pino';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../../src/config/load-config.ts';
import type { DulyConfig } from '../../src/domain/config.ts';
import type { Instant } from '../../src/domain/types.ts';
import { createEngineCtx, type EngineCtx } from '../../src/engine/runtime.ts';
import type { DialectName } from '../../src/store/connect.ts';
import { openTestStore } from './test-store.ts';

/** The shipped default config, every day a business day and no quiet hours unless a test adds them. */
export function defaultTestConfig(overrides: Partial<DulyConfig> = {}): DulyConfig {
  const config = loadConfigFile(DEFAULT_CONFIG_PATH, { env: {} });
  return {
    ...config,
    businessDays: [1, 2, 3, 4, 5, 6, 7],
    holidays: { country: null, dates: [] },
    quietHours: null,
    retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    // Dunning only: tests of other triggers bring their own policies, so counts here stay about invoices.
    policies: config.policies.filter((p) => p.trigger === 'invoice'),
    ...overrides,
  };
}

/**
 * For tests on the real clock (a provider checks signatures against its own): the due date in UTC whose
 * first reminder, 3 days before at 09:00, came within the last day, whatever the time of day now.
 */
export function dueOnWithReminderDue(now: Instant): string {
  return new Date(now - 9 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
}

export interface TestEngine {
  ctx: EngineCtx;
  /** Moves the clock used by use cases that read it (payments, imports). */
  setNow(now: Instant): void;
  close(): Promise<void>;
}

export async function openTestEngine(
  dialect: DialectName,
  config: DulyConfig,
  start: Instant,
): Promise<TestEngine> {
  const store = await openTestStore(dialect);
  let now = start;
  const engine = createEngineCtx(store, config, {
    clock: () => now,
    logger: pino({ level: 'silent' }),
    actor: 'test',
    runtime: { linkSecret: 'test-secret', companyName: 'Duly Test Co' },
  });
  return {
    ...engine,
    setNow: (instant) => {
      now = instant;
    },
  };
}

export interface SeedInvoice {
  account?: string;
  number: string;
  dueOn: string;
  amount?: number;
  currency?: string;
  timezone?: string;
  locale?: string;
  email?: string | null;
  phone?: string | null;
}

/** Writes an account, its contact and an open invoice straight into the store, ready to plan. */
export async function seedInvoice(ctx: EngineCtx, seed: SeedInvoice): Promise<string> {
  const accountId = seed.account ?? 'acme';
  const at = 0;
  const db = ctx.store.db;
  await db
    .insertInto('accounts')
    .values({
      tenant_id: ctx.tenantId,
      id: accountId,
      name: `Account ${accountId}`,
      timezone: seed.timezone ?? 'America/New_York',
      locale: seed.locale ?? 'en-US',
      currency: null,
      tags: '[]',
      owner: null,
      paused_until: null,
      pause_reason: null,
      auto_pay: 0,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
    .execute();
  await db
    .insertInto('contacts')
    .values({
      tenant_id: ctx.tenantId,
      id: `${accountId}-billing`,
      account_id: accountId,
      name: 'Jane Doe',
      email: seed.email === undefined ? `billing@${accountId}.example` : seed.email,
      phone: seed.phone ?? null,
      whatsapp: null,
      telegram: null,
      preferred_channel: null,
      timezone: null,
      locale: null,
      opt_outs: '[]',
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
    .execute();
  const id = `inv-${seed.number}`;
  const amount = seed.amount ?? 120_000;
  await db
    .insertInto('invoices')
    .values({
      tenant_id: ctx.tenantId,
      id,
      number: seed.number,
      account_id: accountId,
      amount,
      balance: amount,
      currency: seed.currency ?? 'USD',
      issued_on: '2026-01-01',
      due_on: seed.dueOn,
      status: 'open',
      disputed: 0,
      paused_until: null,
      source: 'test',
      external_id: null,
      next_plan_at: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

export async function touchesOf(ctx: EngineCtx) {
  return ctx.store.db.selectFrom('touches').selectAll().orderBy('id').execute();
}

export async function sandboxMessages(ctx: EngineCtx) {
  return ctx.store.db
    .selectFrom('local_messages')
    .selectAll()
    .where('kind', '=', 'sandbox')
    .orderBy('id')
    .execute();
}
