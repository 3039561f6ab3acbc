import Fastify, { type FastifyInstance } from 'fastify';
import { DulyError } from '../domain/errors.ts';
import { ingestEvent } from '../engine/ingest-event.ts';
import { describeUnsubscribe, optOutByToken } from '../engine/opt-out-contact.ts';
import type { EngineCtx } from '../engine/runtime.ts';
import { replyWithError } from './http-errors.ts';
import type { Metrics } from './metrics.ts';
import { contractsRoutes } from './routes/contracts-routes.ts';
import { holdsRoutes } from './routes/holds-routes.ts';
import { milestonesRoutes } from './routes/milestones-routes.ts';
import { payRoutes } from './routes/pay-routes.ts';
import { portalRoutes } from './routes/portal-routes.ts';
import { staffActionsRoutes } from './routes/staff-actions-routes.ts';
import { tasksRoutes } from './routes/tasks-routes.ts';

export interface ServerOptions {
  ctx: EngineCtx;
  metrics: Metrics;
  /** When set, every `/v1/…` request requires `Authorization: Bearer <key>`. */
  apiKey: string | null;
  /** Called after an event changed something, so its effect (a cancellation) is dispatched at once. */
  onEventAccepted?: () => void;
}

/** The HTTP surface: health, metrics, generic events, unsubscribe links. */
export function createServer(options: ServerOptions): FastifyInstance {
  const { ctx, metrics } = options;
  // Unsubscribe tokens (tenant, contact id and channel, signed) run past Fastify's default 100-character
  // limit for a path parameter, which would answer every real link with 414.
  // A `__proto__` or `constructor` key is valid JSON: drop it (never merge it) and let validation
  // name what is missing, rather than calling the body "not valid JSON".
  const app = Fastify({
    logger: false,
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 2048 },
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
  });
  app.setErrorHandler(replyWithError);

  app.get('/health', async () => {
    await ctx.store.db.selectFrom('tenants').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/') || !options.apiKey) return;
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw new DulyError('unauthorized', 'send the API key as "Authorization: Bearer <key>"');
    }
  });

  app.post('/v1/events', async (request, reply) => {
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

  staffActionsRoutes(app, ctx);
  holdsRoutes(app, ctx);
  tasksRoutes(app, ctx);
  payRoutes(app, ctx);
  contractsRoutes(app, ctx);
  milestonesRoutes(app, ctx);

  // Mail scanners open every link in a message: a GET only shows what the link does; the opt-out
  // is a POST, from the page's button or from a mail client's one-click unsubscribe (RFC 8058).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const input = { token: request.params.token, secret: ctx.runtime.linkSecret };
    const { channel, alreadyOptedOut } = await describeUnsubscribe({ ctx, input });
    return reply
      .type('text/html; charset=utf-8')
      .send(
        alreadyOptedOut
          ? unsubscribePage(`You already receive no ${channel} reminders from us.`)
          : unsubscribePage(
              `Stop receiving ${channel} reminders from us?`,
              `<form method="post"><button type="submit">Unsubscribe</button></form>`,
            ),
      );
  });
  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const input = { token: request.params.token, secret: ctx.runtime.linkSecret };
    const { channel } = await optOutByToken({ ctx: { ...ctx, actor: 'recipient' }, input });
    return reply
      .type('text/html; charset=utf-8')
      .send(unsubscribePage(`You will no longer receive ${channel} reminders from us.`));
  });
  // Public like the unsubscribe links, and after the form parser they read.
  portalRoutes(app, ctx);
  return app;
}

function unsubscribePage(message: string, action = ''): string {
  const text = message.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Unsubscribe</title><p>${text}</p>${action}`;
}
