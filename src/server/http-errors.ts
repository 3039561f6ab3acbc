import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type DulyErrorCode, isDulyError } from '../domain/errors.ts';

const STATUS: Record<DulyErrorCode, number> = {
  invalid_input: 400,
  invalid_config: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  unavailable: 503,
};

/** The one place where use-case errors become HTTP answers: `{ error: { code, message, field } }`. */
export function replyWithError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (isDulyError(error)) {
    return reply.status(STATUS[error.code]).send({
      error: {
        code: error.code,
        message: error.message,
        ...(error.place.field ? { field: error.place.field } : {}),
      },
    });
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    // Fastify's own refusals: malformed JSON, wrong content type, body too large.
    return reply.status(status).send({ error: { code: 'invalid_input', message: error.message } });
  }
  request.log.error({ err: error }, 'request failed');
  return reply
    .status(500)
    .send({ error: { code: 'internal', message: 'something went wrong on our side; it is logged' } });
}
