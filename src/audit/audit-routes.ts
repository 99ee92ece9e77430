/**
 * `GET /api/audit/verify` and `GET /api/audit/export`: the audit trail over the bot's HTTP API,
 * for `sgops audit … --state-dir` (PGlite is single-process, so another process cannot open it).
 * Register only where the caller is trusted (the loopback sandbox), or pass `authorise`.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normaliseRequestId } from '../domain/request-id.ts';
import { isAppError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { parseAuditCheckpoint, readAuditCheckpoint, type AuditCheckpoint } from './audit-checkpoint.ts';
import { auditPages } from './audit-pages.ts';
import { redactSecrets } from './redact-secrets.ts';
import { verifyStoredAudit } from './verify-audit-trail.ts';

export interface AuditRoutesOptions {
  store: Pick<Store, 'listAudit'>;
  auditKey: string;
  /** The trusted head: a checkpoint file's path, or the running checkpointer. */
  checkpoint?: string | { read(): Promise<AuditCheckpoint | null> };
  /** Configured secrets, masked in exports as a second line of defence. */
  secrets?: readonly string[];
  /** Refuses a request with 401 when it returns false (e.g. check the console token). */
  authorise?: (request: FastifyRequest) => boolean;
}

export async function auditRoutes(app: FastifyInstance, options: AuditRoutesOptions): Promise<void> {
  const { store, auditKey } = options;
  const secrets = [auditKey, ...(options.secrets ?? [])];

  const configuredCheckpoint = async (): Promise<AuditCheckpoint | null> => {
    const source = options.checkpoint;
    if (source === undefined) return null;
    return typeof source === 'string' ? readAuditCheckpoint(source, auditKey) : source.read();
  };

  // Per route rather than a hook, so the check holds however the plugin is registered.
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (options.authorise && !options.authorise(request)) {
      return reply.code(401).send({ error: 'Not allowed to read the audit trail.' });
    }
  };

  app.get<{ Querystring: { request?: string; checkpoint?: string } }>(
    '/api/audit/verify',
    { onRequest },
    async (request, reply) => {
      let checkpoint: AuditCheckpoint | null;
      try {
        // A checkpoint sent by the caller (from write-once storage, say) wins over the bot's own.
        checkpoint =
          request.query.checkpoint === undefined
            ? await configuredCheckpoint()
            : parseAuditCheckpoint(request.query.checkpoint, auditKey, 'sent with the request');
      } catch (error) {
        if (!isAppError(error)) throw error;
        return reply.code(400).send({ error: error.message, code: error.code });
      }
      const requestId = requestIdOf(request.query.request, reply);
      if (requestId === null) return reply;
      return verifyStoredAudit(store, auditKey, {
        checkpoint,
        ...(requestId === undefined ? {} : { requestId }),
      });
    },
  );

  app.get<{ Querystring: { request?: string } }>(
    '/api/audit/export',
    { onRequest },
    async (request, reply) => {
      const requestId = requestIdOf(request.query.request, reply);
      if (requestId === null) return reply;
      const pages = auditPages(store, requestId === undefined ? {} : { requestId });
      async function* lines(): AsyncGenerator<string> {
        for await (const page of pages) {
          yield page.map((row) => `${JSON.stringify(redactSecrets(row, secrets))}\n`).join('');
        }
      }
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
    },
  );
}

/**
 * The request the trail is narrowed to (undefined: the whole trail), or null after a 400: a string
 * that cannot be a request id never reaches the store.
 */
function requestIdOf(value: string | undefined, reply: FastifyReply): string | undefined | null {
  if (value === undefined || value.trim() === '') return undefined;
  const id = normaliseRequestId(value);
  if (id) return id;
  void reply.code(400).send({
    error: `${JSON.stringify(value.slice(0, 40))} is not a request id; ids look like R7K2.`,
    code: 'COMMAND_INVALID',
  });
  return null;
}
