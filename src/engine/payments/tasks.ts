import { z } from 'zod';
import { DulyError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import { closeTasks, findTask, listTasks as listTaskRows } from '../../store/tasks-repo.ts';
import type { Ctx } from '../context.ts';
import { parseInput } from '../parse-input.ts';
import { invoiceUrl } from './pay-link.ts';

export const ListTasksInput = z.object({
  state: z.enum(['open', 'done', 'all'], { message: 'state must be open, done or all' }).default('open'),
});

export const CloseTaskInput = z.object({
  id: z.coerce.number({ message: 'id must be a task number' }).int().positive('id must be a task number'),
  reason: z.string().trim().min(1).max(500).default('done'),
});

export interface TaskView {
  id: number;
  kind: string;
  title: string;
  owner: string | null;
  due_on: string;
  state: string;
  invoice: string | null;
  invoice_url: string | null;
  closed_reason: string | null;
  created_at: string;
  closed_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** The team's follow-up tasks (failed payments to chase …), oldest due first. */
export async function listTasks({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<TaskView[]> {
  const { state } = parseInput(ListTasksInput, input);
  const rows = await listTaskRows(ctx.store.db, ctx.tenantId, state);
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    owner: r.owner,
    due_on: r.due_on,
    state: r.state,
    invoice: r.invoice_number,
    invoice_url: r.invoice_number ? invoiceUrl(ctx.config.publicUrl, r.invoice_number) : null,
    closed_reason: r.closed_reason,
    created_at: iso(Number(r.created_at)) as string,
    closed_at: iso(r.closed_at === null ? null : Number(r.closed_at)),
  }));
}

/** Staff closes a task by hand, with a reason for the audit trail. */
export async function closeTask({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: unknown;
}): Promise<{ id: number; closed: true }> {
  const { id, reason } = parseInput(CloseTaskInput, input);
  const now = ctx.clock();
  return ctx.store.db.transaction().execute(async (trx) => {
    const task = await findTask(trx, ctx.tenantId, id);
    if (!task)
      throw new DulyError('not_found', `no task ${id}; list them with duly tasks --state all`, {
        field: 'id',
      });
    if (task.state !== 'open') {
      throw new DulyError('conflict', `task ${id} is already closed (${task.closed_reason ?? 'done'})`, {
        field: 'id',
      });
    }
    await closeTasks(trx, ctx.tenantId, { ids: [id] }, reason, now);
    await appendAudit(trx, ctx.tenantId, [
      {
        at: now,
        kind: 'task.closed',
        subject: `task:${id}`,
        actor: ctx.actor,
        data: { reason, kind: task.kind },
      },
    ]);
    return { id, closed: true as const };
  });
}
