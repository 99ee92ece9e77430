/**
 * The one HTTP server as the app configures it: readiness over Postgres and Redis, the webhooks
 * of the configured chat platforms, the console (unless it is off), the metrics (unless they
 * have a port of their own) and, in the loopback sandbox only, the audit API.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { Engine } from '../engine/engine.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { AuditCheckpointer } from '../audit/create-audit-checkpoint.ts';
import { auditRoutes } from '../audit/audit-routes.ts';
import { startHttpServer } from '../http/start-http-server.ts';
import type { HttpServer } from '../http/start-http-server.ts';
import type { WorkflowModule } from '../../workflows/index.ts';
import type { WiredChat } from './wire-chat.ts';
import { chatPlatformSections } from './chat-platform-configs.ts';
import { auditPort } from '../audit/audit-port.ts';
import type { AuditSink } from '../audit/audit-port.ts';
import { clusterTargetOf } from '../audit/cluster-target-of.ts';
import type { ClusterDirectory } from '../clusters/cluster-directory.ts';
import { clusterActions } from '../ports/cluster.ts';
import type { Cluster } from '../ports/cluster.ts';

/** The configured port; a platform's webhook needs one, so with any platform configured it is 8080 when none is set. */
export function httpPortOf(config: Config): number | undefined {
  const platformConfigured = Object.keys(chatPlatformSections).some((name) => config[name as keyof Config]);
  return config.http.port ?? (platformConfigured ? 8080 : undefined);
}

export interface HttpDeps {
  logger: Logger;
  store: Store;
  engine: Engine;
  metrics: Metrics;
  /** The console, the policy it reads by, and the chat platforms' webhooks. */
  chat: Pick<WiredChat, 'consoleChat' | 'policy' | 'rawRoutes'>;
  workflows: readonly WorkflowModule[];
  checkpoint: AuditCheckpointer | null;
  /** The configured secrets, masked in what the audit API answers. */
  secrets: readonly string[];
  /** The console's live pod reads, audited like the chat's reads (under the person looking). */
  clusterPorts: ClusterDirectory;
  auditSink: AuditSink;
  currentSecrets: () => readonly string[];
}

export async function serveHttp(config: Config, port: number, deps: HttpDeps): Promise<HttpServer> {
  const { logger, store, engine, metrics, checkpoint } = deps;
  const { consoleChat, policy, rawRoutes } = deps.chat;
  // A separate, non-queuing client: readiness must fail fast while Redis is away, not wait like BullMQ's.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  const server = await startHttpServer({
    host: config.http.host,
    port,
    ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
    ...(config.http.anyPortIfTaken ? { anyPortIfTaken: true } : {}),
    // The audit API answers `sgops audit --state-dir` in the loopback sandbox only.
    plugins:
      config.console.mode === 'sandbox'
        ? [
            (app) =>
              auditRoutes(app, {
                store,
                auditKey: config.audit.key,
                ...(checkpoint ? { checkpoint } : {}),
                secrets: deps.secrets,
              }),
          ]
        : [],
    rawRoutes,
    logger,
    // With a port of their own, the metrics are not on this one.
    ...(config.metrics.port === undefined
      ? {
          metrics: {
            registry: metrics.registry,
            ...(config.metrics.token ? { token: config.metrics.token } : {}),
          },
        }
      : {}),
    readiness: {
      postgres: () => store.listRequests({ limit: 1 }),
      redis: () => redis.ping(),
    },
    console:
      config.console.mode === 'off'
        ? null
        : {
            console: consoleChat,
            store,
            engine,
            policy,
            workflows: deps.workflows,
            clusterFor: async (person: string, clusterId: string) =>
              auditPort<Cluster>(
                (await deps.clusterPorts.portsFor(clusterId)).cluster,
                clusterActions,
                deps.auditSink,
                { requestId: null, actor: person, system: 'kubernetes', clusterId },
                { targetOf: clusterTargetOf, secrets: deps.currentSecrets },
              ),
            mode: config.console.mode,
            tokens: config.console.tokens,
            people: config.policy.people.map((p) => ({
              id: p.id,
              name: p.name ?? p.id,
              ...(p.locale ? { locale: p.locale } : {}),
            })),
          },
  }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      redis.disconnect();
    },
  };
}
