import { createHash } from 'node:crypto';
import { OWED_STATUSES } from '../domain/types.ts';
import { appendAudit } from '../store/audit.ts';
import type { Ctx } from './context.ts';

/**
 * Records the config as a new version when its text changed since the last run, audits the change,
 * and asks the planner to look at every open invoice again (steps may have moved).
 */
export async function recordConfigVersion(
  ctx: Ctx,
  input: { source: string; text: string },
): Promise<{ version: number; changed: boolean }> {
  const now = ctx.clock();
  const hash = createHash('sha256').update(input.text).digest('hex');
  return ctx.store.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('config_versions')
      .select(['version', 'hash'])
      .where('tenant_id', '=', ctx.tenantId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last?.hash === hash) return { version: last.version, changed: false };
    const version = (last?.version ?? 0) + 1;
    await trx
      .insertInto('config_versions')
      .values({
        tenant_id: ctx.tenantId,
        version,
        hash,
        source: input.source,
        body: input.text,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable('invoices')
      .set({ next_plan_at: 0 })
      .where('tenant_id', '=', ctx.tenantId)
      .where('status', 'in', [...OWED_STATUSES])
      .execute();
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'config.changed',
        subject: `config:${version}`,
        actor: ctx.actor,
        data: { source: input.source, hash },
      },
    ]);
    return { version, changed: true };
  });
}
