/**
 * Who a console call speaks for: the bearer token's person, or in the sandbox the person `as`
 * names (anyone, when a read names nobody); and whether that viewer may see a request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { maySeeRequest } from '../chat/may-see-request.ts';
import type { SeenRequest } from '../chat/may-see-request.ts';
import { normaliseRequestId } from '../domain/request-id.ts';
import type { ConsoleRoutesOptions } from './console-routes.ts';

/** A sandbox read that names no person: nothing is hidden, since there anyone may name anyone. */
export const anyone = 'anyone';
export type Viewer = typeof anyone | { person: string };

export function consoleAccess(
  options: Pick<ConsoleRoutesOptions, 'mode' | 'tokens' | 'policy'>,
  known: ReadonlySet<string>,
) {
  /** The person a request speaks for, or a reply that says why there is none. */
  function personOf(request: FastifyRequest, reply: FastifyReply, as: unknown): string | null {
    if (options.mode === 'token') {
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      const match = options.tokens.find((t) => t.token === token);
      if (!match) {
        void reply
          .code(401)
          .send({ error: 'A console access token is required (Authorization: Bearer <token>).' });
        return null;
      }
      return match.person;
    }
    if (typeof as !== 'string' || !known.has(as)) {
      void reply.code(400).send({ error: `Say who you are with "as": one of ${[...known].join(', ')}.` });
      return null;
    }
    return as;
  }

  /**
   * Whose eyes a read-only view is for: the token's person; in the sandbox the person `as` names,
   * or anyone (everything shown) when it names nobody. Null when the reply already says why not.
   */
  function viewerOf(request: FastifyRequest, reply: FastifyReply, as: unknown): Viewer | null {
    if (options.mode === 'sandbox' && (as === undefined || as === '')) return anyone;
    const person = personOf(request, reply, as);
    return person === null ? null : { person };
  }

  const mayView = (viewer: Viewer, request: SeenRequest) =>
    viewer === anyone || maySeeRequest(options.policy, viewer.person, request);

  return { personOf, viewerOf, mayView };
}

/**
 * The request id a caller named, in its canonical form, or null after answering `status`: a
 * string that cannot be an id never reaches the store (whose error would be about SQL).
 */
export function requestIdOf(reply: FastifyReply, named: string, status: 400 | 404): string | null {
  const id = normaliseRequestId(named);
  if (id) return id;
  void reply.code(status).send({
    error: `${JSON.stringify(named.slice(0, 40))} is not a request id; ids look like R7K2.`,
    code: status === 404 ? 'REQUEST_NOT_FOUND' : 'COMMAND_INVALID',
  });
  return null;
}
