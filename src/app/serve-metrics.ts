/** /metrics on a port of its own, when `metrics.port` is set (else the HTTP server serves them). */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import { startMetricsServer } from '../http/start-metrics-server.ts';
import type { HttpServer } from '../http/start-http-server.ts';

export async function serveMetrics(
  config: Config,
  deps: { logger: Logger; metrics: Metrics },
): Promise<HttpServer | null> {
  if (config.metrics.port === undefined) return null;
  return startMetricsServer({
    host: config.http.host,
    port: config.metrics.port,
    ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
    logger: deps.logger,
    registry: deps.metrics.registry,
    ...(config.metrics.token ? { token: config.metrics.token } : {}),
  });
}
