/**
 * /metrics on a port of its own (`metrics.port`), so the network can let Prometheus reach it
 * without reaching the console or the webhooks, and a workers-only process can still be scraped.
 * It serves nothing else.
 */
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { answerErrors } from './answer-errors.ts';
import { loopbackHostsOnly } from './loopback-hosts-only.ts';
import { metricsRoutes } from './metrics-routes.ts';
import type { MetricsRoutesOptions } from './metrics-routes.ts';
import type { HttpServer } from './start-http-server.ts';

export interface MetricsServerOptions extends MetricsRoutesOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  loopbackHostsOnly?: boolean;
  logger: Logger;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<HttpServer> {
  const { host, port, logger, loopbackHostsOnly: loopbackOnly, ...routes } = options;
  const app = Fastify({
    serverFactory: (handler) => createServer(loopbackOnly ? loopbackHostsOnly(handler) : handler),
    loggerInstance: logger.child({ component: 'metrics-http' }) as FastifyBaseLogger,
  });
  answerErrors(app);
  await app.register(metricsRoutes, routes);
  const address = await app.listen({ host, port });
  return {
    url: address.replace('[::1]', '127.0.0.1'),
    close: () => app.close(),
  };
}
