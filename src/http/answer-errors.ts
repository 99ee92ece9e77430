/**
 * What an HTTP caller hears when a route throws. Fastify's default answer repeats the error's
 * message, and a database error's message is its SQL: callers get a stable code and a sentence,
 * the log gets the detail (once, with the reference the caller was given).
 */
import type { FastifyInstance } from 'fastify';
import { isAppError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

/** The codes whose message is written for the caller, and the status each answers with. */
const callerCodes: Partial<Record<ErrorCode, number>> = {
  COMMAND_INVALID: 400,
  NOT_AUTHORISED: 403,
  SELF_APPROVAL: 403,
  REQUEST_NOT_FOUND: 404,
  STATE_CONFLICT: 409,
};

export function answerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (isAppError(error)) {
      const status = callerCodes[error.code];
      if (status !== undefined) return reply.code(status).send({ error: error.message, code: error.code });
    }
    // Fastify's own 4xx (a body that is not JSON, too large, a bad content type) say what the caller sent.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (!isAppError(error) && typeof status === 'number' && status >= 400 && status < 500) {
      return reply.code(status).send({ error: (error as Error).message, code: 'COMMAND_INVALID' });
    }
    request.log.error({ err: error }, 'HTTP request failed');
    return reply.code(500).send({
      error: `sgops could not answer this request; the operator's log has the details under reference ${request.id}.`,
      code: isAppError(error) ? error.code : 'INTERNAL',
    });
  });
}
