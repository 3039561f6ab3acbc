import Fastify, { type FastifyInstance } from 'fastify';
import { DulyError } from '../domain/errors.ts';
import { ingestEvent } from '../engine/ingest-event.ts';
import { optOutByToken } from '../engine/opt-out-contact.ts';
import type { EngineCtx } from '../engine/runtime.ts';
import { replyWithError } from './http-errors.ts';
import type { Metrics } from './metrics.ts';

export interface ServerOptions {
  ctx: EngineCtx;
  metrics: Metrics;
  /** When set, `POST /v1/…` requires `Authorization: Bearer <key>`. */
  apiKey: string | null;
  /** Called after an event changed something, so its effect (a cancellation) is dispatched at once. */
  onEventAccepted?: () => void;
}

/** The HTTP surface: health, metrics, generic events, unsubscribe links. */
export function createServer(options: ServerOptions): FastifyInstance {
  const { ctx, metrics } = options;
  // Unsubscribe tokens (tenant, contact id and channel, signed) run past Fastify's default 100-character
  // limit for a path parameter, which would answer every real link with 414.
  const app = Fastify({ logger: false, bodyLimit: 1_048_576, routerOptions: { maxParamLength: 2048 } });
  app.setErrorHandler(replyWithError);

  app.get('/health', async () => {
    await ctx.store.db.selectFrom('tenants').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.post('/v1/events', async (request, reply) => {
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw new DulyError('unauthorized', 'send the API key as "Authorization: Bearer <key>"');
    }
    try {
      const result = await ingestEvent({ ctx: { ...ctx, actor: 'api' }, input: request.body });
      metrics.events.inc({ result: result.duplicate ? 'duplicate' : 'accepted' });
      if (!result.duplicate) options.onEventAccepted?.();
      return reply.status(result.duplicate ? 200 : 202).send(result);
    } catch (error) {
      metrics.events.inc({ result: 'rejected' });
      throw error;
    }
  });

  const unsubscribe = async (token: string) => {
    const result = await optOutByToken({ ctx, input: { token, secret: ctx.runtime.linkSecret } });
    return `You will no longer receive ${result.channel} reminders from us.`;
  };
  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const message = await unsubscribe(request.params.token);
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><title>Unsubscribed</title><p>${message}</p>`);
  });
  // RFC 8058 one-click unsubscribe: mail clients POST to the List-Unsubscribe URL.
  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request) => ({
    message: await unsubscribe(request.params.token),
  }));
  return app;
}
