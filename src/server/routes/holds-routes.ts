import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listPromisesMade, recordPromise } from '../../engine/holds/record-promise.ts';
import { setAccountPolicy } from '../../engine/holds/set-account-policy.ts';
import { setInvoiceOptOut } from '../../engine/holds/set-invoice-opt-out.ts';
import { parseInput } from '../../engine/parse-input.ts';
import type { EngineCtx } from '../../engine/runtime.ts';

const PromiseBody = z.object({
  amount: z.union([z.string(), z.number()], {
    error: 'amount: give the promised amount, like 500 or "1200.50"',
  }),
  promised_on: z.iso.date({ error: 'give the promised date as YYYY-MM-DD, like 2026-03-20' }),
  note: z.string().optional(),
});
const PromisesQuery = z.object({
  state: z.string().optional(),
  limit: z.coerce.number().int().optional(),
});
const PolicyBody = z.object({
  policy_id: z
    .string({ error: 'policy_id: give an invoice policy id, or null to drop the override' })
    .nullable(),
});
const OptOutBody = z.object({ opted_out: z.boolean({ error: 'opted_out: true or false' }) });

type Params = { Params: { id: string } };

/** Promises to pay, per-account policies and per-invoice opt-outs over HTTP: the same use cases as the CLI. */
export function holdsRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  const api = { ...ctx, actor: 'api' };
  app.post<Params>('/v1/invoices/:id/promises', async (request, reply) => {
    const body = parseInput(PromiseBody, request.body);
    const promise = await recordPromise({
      ctx: api,
      input: {
        invoiceNumber: request.params.id,
        amount: body.amount,
        promisedOn: body.promised_on,
        note: body.note,
      },
    });
    return reply.status(201).send(promise);
  });
  app.get('/v1/promises', async (request) => {
    const query = parseInput(PromisesQuery, request.query);
    return { promises: await listPromisesMade({ ctx: api, input: query }) };
  });
  app.put<Params>('/v1/accounts/:id/policy', async (request) => {
    const { policy_id } = parseInput(PolicyBody, request.body);
    return setAccountPolicy({ ctx: api, input: { accountId: request.params.id, policyId: policy_id } });
  });
  app.put<Params>('/v1/invoices/:id/opt-out', async (request) => {
    const { opted_out } = parseInput(OptOutBody, request.body);
    return setInvoiceOptOut({ ctx: api, input: { invoiceNumber: request.params.id, optedOut: opted_out } });
  });
}
