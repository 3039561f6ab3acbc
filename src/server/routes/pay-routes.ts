import type { FastifyInstance } from 'fastify';
import { isDulyError } from '../../domain/errors.ts';
import { describePayLink } from '../../engine/payments/describe-pay-link.ts';
import type { EngineCtx } from '../../engine/runtime.ts';
import { escapeHtml } from '../../templates/html-escape.ts';

const page = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>${body}`;

/** A client's signed pay link (from a failed-payment notice): what is owed on the invoice. Public. */
export function payRoutes(app: FastifyInstance, ctx: EngineCtx): void {
  app.get<{ Params: { token: string } }>('/pay/:token', async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    try {
      const invoice = await describePayLink({ ctx, input: { token: request.params.token } });
      const title = `Invoice ${invoice.invoiceNumber}`;
      return reply.send(
        page(
          title,
          invoice.owed
            ? `<p>Balance due: <strong>${escapeHtml(invoice.balance)}</strong></p><p>Due date: ${escapeHtml(invoice.dueOn)}</p>`
            : '<p>Nothing is left to pay on this invoice. Thank you.</p>',
        ),
      );
    } catch (error) {
      if (!isDulyError(error)) throw error;
      const status = error.code === 'not_found' ? 404 : 403;
      return reply
        .status(status)
        .send(
          page(
            status === 404 ? 'Invoice not found' : 'Link not valid',
            `<p>${escapeHtml(error.message)}</p>`,
          ),
        );
    }
  });
}
