import type { FastifyInstance } from 'fastify';
import { closeTask, listTasks } from '../../engine/payments/tasks.ts';
import type { EngineCtx } from '../../engine/runtime.ts';

/** The team's follow-up tasks over HTTP: the same use cases as `duly tasks` and `duly task close`. */
export function tasksRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  const api = { ...ctx, actor: 'api' };
  app.get<{ Querystring: { state?: string } }>('/v1/tasks', async (request) => ({
    tasks: await listTasks({ ctx: api, input: { state: request.query.state } }),
  }));
  app.post<{ Params: { id: string }; Body: { reason?: unknown } | undefined }>(
    '/v1/tasks/:id/close',
    async (request) =>
      closeTask({ ctx: api, input: { id: request.params.id, reason: request.body?.reason } }),
  );
}
