import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MILESTONE_STATES } from '../../domain/milestone-plan.ts';
import { markMilestoneReady } from '../../engine/milestones/mark-ready.ts';
import { milestoneJson } from '../../engine/milestones/milestone-json.ts';
import { upsertMilestone } from '../../engine/milestones/upsert-milestone.ts';
import { parseInput } from '../../engine/parse-input.ts';
import type { EngineCtx } from '../../engine/runtime.ts';
import { listMilestones } from '../../store/milestones-repo.ts';

type Params = { Params: { id: string } };

const ListQuery = z.object({ state: z.enum(MILESTONE_STATES).optional() });

/** Milestones for staff: add or change one, mark it ready for the client's review, list them. */
export function milestonesRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  const api = { ...ctx, actor: 'api' };
  app.put<Params>('/v1/milestones/:id', async (request) => {
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const milestone = await upsertMilestone({ ctx: api, input: { ...body, id: request.params.id } });
    return milestoneJson(milestone);
  });
  app.post<Params>('/v1/milestones/:id/ready', async (request) => {
    const { milestone, alreadyReady } = await markMilestoneReady({
      ctx: api,
      input: { id: request.params.id },
    });
    return { ...milestoneJson(milestone), already_ready: alreadyReady };
  });
  app.get('/v1/milestones', async (request) => {
    const { state } = parseInput(ListQuery, request.query);
    const milestones = await listMilestones(ctx.store.db, ctx.tenantId, state ?? null);
    return { milestones: milestones.map(milestoneJson) };
  });
}
