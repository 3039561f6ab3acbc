import { parseConfigText } from '../../src/config/load-config.ts';
import type { DulyConfig } from '../../src/domain/config.ts';
import type { EngineCtx } from '../../src/engine/runtime.ts';

/** A config of its own for trigger tests: every day a business day, a team of three, the given channels and policies. */
export function triggerTestConfig(channels: string, policies: string): DulyConfig {
  return parseConfigText(
    `timezone: America/New_York
locale: en-US
currency: USD
send_time: "09:00"
business_days: [mon, tue, wed, thu, fri, sat, sun]
public_url: http://127.0.0.1:3000
channels:
${channels}
team:
  - { id: olga, name: Olga Owner, email: olga@example.com, roles: [sales] }
  - { id: max, name: Max Manager, email: max@example.com, roles: [manager] }
  - { id: lea, name: Lea Legal, email: lea@example.com, roles: [legal] }
retry: { max_attempts: 3, base_delay: 1m, max_delay: 10m }
dispatch: { max_in_flight: 4, lease: 5m, batch_size: 100, send_timeout: 10s, plan_ahead: 1h }
policies:
${policies}
`,
    'test.yaml',
    { env: {} },
  );
}

export async function setOwner(ctx: EngineCtx, accountId: string, owner: string): Promise<void> {
  await ctx.store.db.updateTable('accounts').set({ owner }).where('id', '=', accountId).execute();
}

export async function messagesOf(ctx: EngineCtx, kind: 'sandbox' | 'in_app') {
  return ctx.store.db
    .selectFrom('local_messages')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}
