import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pauseReminders, resumeReminders } from '../../engine/holds.ts';
import { parseInput } from '../../engine/parse-input.ts';
import type { EngineCtx } from '../../engine/runtime.ts';
import { sendStepNow } from '../../engine/send-step-now.ts';

const SendBody = z.object({ step: z.string().trim().min(1) });
const PauseBody = z.object({
  until: z.iso.datetime({ offset: true, message: 'until must be ISO 8601, e.g. 2026-04-01T00:00:00Z' }),
  reason: z.string(),
});

type Params = { Params: { id: string } };

/** Staff actions over HTTP: the same use cases as `duly send`, `duly pause` and `duly resume`. */
export function staffActionsRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  const api = { ...ctx, actor: 'api' };
  app.post<Params>('/v1/invoices/:id/send', async (request) => {
    const { step } = parseInput(SendBody, request.body);
    return sendStepNow({ ctx: api, input: { invoiceNumber: request.params.id, stepId: step } });
  });
  app.post<Params>('/v1/accounts/:id/send', async (request) => {
    const { step } = parseInput(SendBody, request.body);
    return sendStepNow({ ctx: api, input: { accountId: request.params.id, stepId: step } });
  });
  for (const kind of ['accounts', 'invoices'] as const) {
    app.post<Params>(`/v1/${kind}/:id/pause`, async (request) => {
      const { until, reason } = parseInput(PauseBody, request.body);
      const input = {
        target: request.params.id,
        invoice: kind === 'invoices',
        until: Date.parse(until),
        reason,
      };
      return pauseReminders({ ctx: api, input });
    });
    app.post<Params>(`/v1/${kind}/:id/resume`, async (request) =>
      resumeReminders({ ctx: api, input: { target: request.params.id, invoice: kind === 'invoices' } }),
    );
  }
}
