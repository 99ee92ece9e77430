/**
 * `GET /metrics` in the Prometheus text format, optionally only for callers that send the
 * configured bearer token. A scrape reads counters kept in memory (and BullMQ's job counts from
 * Redis); it asks the database nothing, however many requests it holds.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsRoutesOptions {
  registry: Registry;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsRoutesOptions): Promise<void> {
  const { registry, token } = options;
  // Digests compared in constant time: the comparison tells nothing about how much of a guess was right.
  const expected = token === undefined ? null : digest(`Bearer ${token}`);
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="sgops metrics"').send({
        error: 'The metrics token is required (Authorization: Bearer <token>).',
        code: 'NOT_AUTHORISED',
      });
    }
  };
  app.get('/metrics', { onRequest }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

const digest = (text: string) => createHash('sha256').update(text).digest();
