import type { FastifyInstance } from 'fastify';
import { decideContract } from '../../engine/contracts/decide-contract.ts';
import { listContracts } from '../../engine/contracts/list-contracts.ts';
import { upsertContract } from '../../engine/contracts/upsert-contracts.ts';
import type { EngineCtx } from '../../engine/runtime.ts';

type Params = { Params: { id: string } };

/** Contracts and subscriptions over HTTP: the same use cases as `duly contracts` and `duly contract decide`. */
export function contractsRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  const api = { ...ctx, actor: 'api' };
  app.put<Params>('/v1/contracts/:id', async (request) => {
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const result = await upsertContract({ ctx: api, input: { ...body, id: request.params.id } });
    const [contract] = await listContracts({ ctx: api, input: {} }).then((all) =>
      all.filter((c) => c.id === request.params.id),
    );
    return { ...result, contract };
  });
  app.get<{ Querystring: { account_id?: string } }>('/v1/contracts', async (request) => ({
    contracts: await listContracts({ ctx: api, input: request.query ?? {} }),
  }));
  app.post<Params>('/v1/contracts/:id/decision', async (request) => {
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    return decideContract({ ctx: api, input: { ...body, id: request.params.id } });
  });
}
