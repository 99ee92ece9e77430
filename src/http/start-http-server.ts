/**
 * The one HTTP server: health, readiness, metrics (unless they have a port of their own), the
 * Slack and WeCom webhooks, and the console with its chat API.
 */
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { consoleRoutes } from '../console/console-routes.ts';
import type { ConsoleRoutesOptions } from '../console/console-routes.ts';
import { answerErrors } from './answer-errors.ts';
import { rootMessage } from '../errors.ts';
import { loopbackHostsOnly } from './loopback-hosts-only.ts';
import { metricsRoutes } from './metrics-routes.ts';
import type { MetricsRoutesOptions } from './metrics-routes.ts';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Refuse every request whose `Host` is not a loopback name (the sandbox: see loopback-hosts-only.ts). */
  loopbackHostsOnly?: boolean;
  /** When `port` is taken, listen on a free one instead (found by binding, not by probing first). */
  anyPortIfTaken?: boolean;
  logger: Logger;
  /** Each check resolves when its dependency answers; /readyz is 503 while any rejects. */
  readiness: Record<string, () => Promise<unknown>>;
  console: ConsoleRoutesOptions | null;
  /**
   * Webhooks that must see the raw request (signatures are computed over the exact body), served
   * before fastify parses anything: Slack at /slack/, WeCom at /wecom/.
   */
  rawRoutes?: { prefix: string; listener: (req: IncomingMessage, res: ServerResponse) => void }[];
  /** Served at /metrics in the Prometheus text format; absent when they are served elsewhere. */
  metrics?: MetricsRoutesOptions;
  /** Extra fastify plugins (e.g. the audit API), registered after the console. */
  plugins?: ((app: FastifyInstance) => Promise<void>)[];
}

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  try {
    return await listenOn(options, options.port);
  } catch (error) {
    if (!options.anyPortIfTaken || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listenOn(options, 0);
  }
}

async function listenOn(options: HttpServerOptions, port: number): Promise<HttpServer> {
  const rawRoutes = options.rawRoutes ?? [];
  const app = Fastify({
    serverFactory: (handler) => {
      const listener = (req: IncomingMessage, res: ServerResponse) => {
        const raw = rawRoutes.find((r) => req.url?.startsWith(r.prefix));
        if (raw) raw.listener(req, res);
        else handler(req, res);
      };
      // Checked before the webhooks too: nothing on a loopback-only server answers another name.
      return createServer(options.loopbackHostsOnly ? loopbackHostsOnly(listener) : listener);
    },
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
  });
  // Before any route is registered, so every plugin inherits it.
  answerErrors(app);
  app.get('/healthz', async () => ({ ok: true }));
  if (options.metrics) await app.register(metricsRoutes, options.metrics);
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, rootMessage(error)] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r === 'ok');
    return reply.code(ready ? 200 : 503).send({ ready, checks: Object.fromEntries(results) });
  });
  if (options.console) await app.register(consoleRoutes, options.console);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  const address = await app.listen({ host: options.host, port }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  return {
    url: address.replace('[::1]', '127.0.0.1'),
    close: () => app.close(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
