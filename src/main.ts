/**
 * The composition root: createApp(config) wires every part together. No logic lives here; each
 * outside thing (clients, clock, randomness, logger, transports) can be passed in by the caller.
 */
import { createHash, randomInt } from 'node:crypto';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from './config.ts';
import { createStore } from './store/create-store.ts';
import type { Store } from './store/store.ts';
import { createQueues, redisConnectionFromUrl } from './engine/queues.ts';
import type { Queues } from './engine/queues.ts';
import { createOutboxDispatcher } from './engine/outbox-dispatcher.ts';
import { createEngine } from './engine/engine.ts';
import type { Engine } from './engine/engine.ts';
import { startWorkers } from './engine/workers.ts';
import { createReconciler } from './engine/reconcile-queues.ts';
import type { Workers } from './engine/workers.ts';
import { createPolicy } from './policy/create-policy.ts';
import { createChatIntake } from './chat/chat-intake.ts';
import type { ChatIntake } from './chat/chat-intake.ts';
import { createChatService } from './chat/chat-service.ts';
import { createNotifier } from './chat/notifier.ts';
import type { NotifyJob } from './chat/notifier.ts';
import type { ChatInbound } from './chat/chat-message.ts';
import { auditPort } from './audit/audit-port.ts';
import { createAuditCheckpoint } from './audit/create-audit-checkpoint.ts';
import { checkpointOnAppend } from './audit/checkpoint-on-append.ts';
import { summariseAudit } from './audit/summarise-audit.ts';
import { verifyStoredAudit } from './audit/verify-audit-trail.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { closeInterruptedCalls } from './audit/close-interrupted-calls.ts';
import { cloudTargetOf } from './audit/cloud-target-of.ts';
import { clusterTargetOf } from './audit/cluster-target-of.ts';
import { cloudActions } from './ports/cloud-network.ts';
import type { CloudNetwork } from './ports/cloud-network.ts';
import { clusterActions } from './ports/cluster.ts';
import type { Cluster } from './ports/cluster.ts';
import { systemClock } from './ports/clock.ts';
import type { Clock } from './ports/clock.ts';
import { createTencentCloudNetwork } from '../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createRateLimitedCloudNetwork } from '../adapters/tencentcloud/create-rate-limited-cloud-network.ts';
import { retryCloudCalls } from '../adapters/tencentcloud/retry-cloud-calls.ts';
import { createKubernetesCluster, kubeConfigFor } from '../adapters/kubernetes/index.ts';
import { createConsoleChat } from '../adapters/console/console-chat.ts';
import {
  createMemorySlackThreadStore,
  createSlackAdapter,
  createSlackTransport,
  requestOfThread,
} from '../adapters/slack/index.ts';
import {
  createInMemoryWeComCardStore,
  createWeComApiClient,
  createWeComCallback,
  createWeComTransport,
} from '../adapters/wecom/index.ts';
import type { ChatTransport, Platform } from './chat/chat-message.ts';
import { startHttpServer } from './http/start-http-server.ts';
import type { HttpServer } from './http/start-http-server.ts';
import type { ConsoleChat } from '../adapters/console/console-chat.ts';
import { grantMachine, grantMachineVersion } from '../workflows/grant/machine.ts';
import { createSteps } from '../workflows/grant/steps.ts';
import { revokeMachine, revokeMachineVersion } from '../workflows/revoke/machine.ts';
import { createRevokeSteps } from '../workflows/revoke/steps.ts';
import type { StepPorts } from '../workflows/grant/step-ports.ts';
import type { StepResult, WorkflowDefinition } from './engine/workflow-definition.ts';
import { AppError, toAppError } from './errors.ts';
import { createMetrics } from './metrics/create-metrics.ts';
import type { AuditEntry } from './store/store.ts';

type AnyStep = (context: never) => Promise<StepResult>;

export interface AppDeps {
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  cloud?: CloudNetwork;
  cluster?: Cluster;
  store?: Store;
}

export interface App {
  config: Config;
  store: Store;
  queues: Queues;
  engine: Engine;
  intake: ChatIntake;
  console: ConsoleChat;
  logger: Logger;
  /** The HTTP server's URL once started, when config.http.port is set. */
  httpUrl: string | null;
  /** Starts the workers, the outbox sweep and (when configured) the HTTP server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const logger = deps.logger ?? pino({ level: config.logLevel, redact: ['*.secretKey', '*.token', '*.key'] });
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? (() => randomInt(0, 2 ** 48 - 1) / 2 ** 48);
  const secrets = [
    config.tencentcloud.secretKey,
    config.tencentcloud.token,
    config.kubernetes.token,
    config.audit.key,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);

  const baseStore =
    deps.store ??
    (await createStore(
      config.database.kind === 'pg'
        ? {
            kind: 'pg',
            url: config.database.url,
            ...(config.database.schema ? { schema: config.database.schema } : {}),
            auditKey: config.audit.key,
            clock,
          }
        : {
            kind: 'pglite',
            ...(config.database.path ? { path: config.database.path } : {}),
            auditKey: config.audit.key,
            clock,
          },
    ));
  // The chain's head, checkpointed outside the database (so a cut tail shows), when a path is configured.
  const checkpoint = config.audit.checkpointPath
    ? await createAuditCheckpoint({
        store: baseStore,
        auditKey: config.audit.key,
        path: config.audit.checkpointPath,
        pollMs: 1000,
        onProblem: (problem) => logger.error({ problem }, 'audit checkpoint: the chain does not verify'),
      })
    : null;
  const store = checkpoint ? checkpointOnAppend(baseStore, checkpoint) : baseStore;
  const queueSettings = { connection: redisConnectionFromUrl(config.redis.url), prefix: config.redis.prefix };
  const queues = createQueues(queueSettings);
  const sdkCloud =
    deps.cloud ??
    createTencentCloudNetwork({
      secretId: config.tencentcloud.secretId,
      secretKey: config.tencentcloud.secretKey,
      ...(config.tencentcloud.token ? { token: config.tencentcloud.token } : {}),
      region: config.tencentcloud.region,
      ...(config.tencentcloud.endpoint ? { endpoint: config.tencentcloud.endpoint } : {}),
    });
  // One budget per account and region, shared by every replica through Redis.
  const limitedCloud = config.tencentcloud.rateLimit.enabled
    ? createRateLimitedCloudNetwork(sdkCloud, {
        redis: queueSettings.connection as RedisOptions,
        keyPrefix: `${config.redis.prefix}:tc-limits:${createHash('sha256').update(`${config.tencentcloud.secretId}/${config.tencentcloud.region}`).digest('hex').slice(0, 16)}`,
        maxWaitMs: config.tencentcloud.rateLimit.maxWaitMs,
      })
    : null;
  const cloud: CloudNetwork = limitedCloud ?? sdkCloud;
  const cluster = deps.cluster ?? createKubernetesCluster({ kubeConfig: kubeConfigOf(config) });
  const policy = createPolicy(config.policy);

  const dispatcher = createOutboxDispatcher({
    store,
    queues,
    settings: { stepAttempts: config.workflow.stepAttempts, stepBackoffMs: config.workflow.stepBackoffMs },
    logger,
  });
  // Every workflow: its pure machine, and its steps over the audited ports.
  const workflows: Record<
    string,
    WorkflowDefinition & { steps: (ports: StepPorts) => Record<string, AnyStep> }
  > = {
    grant: { name: 'grant', machine: grantMachine, version: grantMachineVersion, steps: createSteps },
    revoke: {
      name: 'revoke',
      machine: revokeMachine,
      version: revokeMachineVersion,
      steps: createRevokeSteps,
    },
  };
  const engine = createEngine({ store, workflows, dispatcher, logger });
  const metrics = createMetrics({
    async requestsByState() {
      const counts: Record<string, number> = {};
      for (const r of await store.listRequests({ limit: 100_000 }))
        counts[r.state] = (counts[r.state] ?? 0) + 1;
      return counts;
    },
    async queueDepth() {
      const names = ['chat', 'events', 'steps', 'notify'] as const;
      const depth = await Promise.all(
        names.map(
          async (n) => [n, await queues[n].getJobCounts('waiting', 'active', 'delayed', 'failed')] as const,
        ),
      );
      return Object.fromEntries(depth);
    },
  });
  // Every audited call passes through here once: the trail and the call counters cannot disagree.
  const auditSink = {
    async appendAudit(entries: AuditEntry[]) {
      const rows = await store.appendAudit(entries);
      metrics.observeAudit(entries);
      return rows;
    },
  };
  const recordingIntake = createChatIntake({ store, chatQueue: queues.chat });
  const intake: ChatIntake = {
    async receive(inbound) {
      const started = performance.now();
      try {
        return await recordingIntake.receive(inbound);
      } finally {
        metrics.observeChatIntake(inbound.platform, (performance.now() - started) / 1000);
      }
    },
  };
  const consoleChat = createConsoleChat({ intake: () => intake, now: () => clock.now() });
  // Slack and WeCom, when configured: webhooks record lines through the intake; transports carry replies.
  const slackThreads = createMemorySlackThreadStore();
  const slack = config.slack
    ? createSlackAdapter({
        signingSecret: config.slack.signingSecret,
        botToken: config.slack.botToken,
        botUserId: config.slack.botUserId,
        botId: config.slack.botId,
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        intake,
        logger,
        threads: slackThreads,
        resolveRequestThread: requestOfThread(slackThreads),
      })
    : null;
  const wecomCards = createInMemoryWeComCardStore();
  const wecomApi = config.wecom
    ? createWeComApiClient({
        corpId: config.wecom.corpId,
        corpSecret: config.wecom.corpSecret,
        agentId: config.wecom.agentId,
        ...(config.wecom.apiBaseUrl ? { apiBaseUrl: config.wecom.apiBaseUrl } : {}),
        fetch,
      })
    : null;
  const wecom = config.wecom
    ? createWeComCallback({
        token: config.wecom.token,
        encodingAESKey: config.wecom.encodingAESKey,
        corpId: config.wecom.corpId,
        agentId: config.wecom.agentId,
        intake,
        logger,
        cards: wecomCards,
      })
    : null;
  const transports: Partial<Record<Platform, ChatTransport>> = {
    // The console is also the in-process chat port; it reaches people only when it is on or alone.
    ...(config.console.mode !== 'off' || (!slack && !wecomApi) ? { console: consoleChat } : {}),
    ...(slack
      ? { slack: createSlackTransport({ client: slack.client, threads: slackThreads, logger }) }
      : {}),
    ...(wecomApi ? { wecom: createWeComTransport({ api: wecomApi, cards: wecomCards, logger }) } : {}),
  };
  // Direct replies always find the console, whatever reaches people by notification.
  const replyTransports = { console: consoleChat, ...transports };
  const chatService = createChatService({
    engine,
    policy,
    store,
    clusterFor: (personId) =>
      auditPort<Cluster>(
        cluster,
        clusterActions,
        auditSink,
        { requestId: null, actor: personId, system: 'kubernetes' },
        { targetOf: clusterTargetOf, secrets },
      ),
    auditSummary: async (requestId, locale) =>
      summariseAudit(await store.listAudit({ requestId }), locale, {
        requestId,
        chain: await verifyStoredAudit(store, config.audit.key, {
          checkpoint: checkpoint?.current() ?? null,
          requestId,
        }),
      }),
    transports: replyTransports,
    clock,
    random,
    settings: {
      defaultClusterId: config.defaults.clusterId,
      defaultNamespace: config.defaults.namespace,
      approvalTimeoutMs: config.workflow.approvalTimeoutMs,
    },
    logger,
  });
  const notifier = createNotifier({ engine, policy, transports, logger });
  const grantSettings = {
    region: config.tencentcloud.region,
    clusterGroupName: (clusterId: string) =>
      config.tencentcloud.clusterGroupNameTemplate.replace('{clusterId}', clusterId),
    addonName: config.tencentcloud.addonName,
    pollDelayMs: config.workflow.pollDelayMs,
    rolloutWaitMs: config.workflow.rolloutWaitMs,
  };

  let workers: Workers | null = null;
  let sweep: NodeJS.Timeout | null = null;
  let reconcile: NodeJS.Timeout | null = null;
  const reconciler = createReconciler({
    store,
    engine,
    queues,
    dispatcher,
    clock,
    logger,
    workflows: Object.values(workflows),
  });
  let http: HttpServer | null = null;
  let readinessRedis: Redis | null = null;

  return {
    config,
    store,
    queues,
    engine,
    intake,
    console: consoleChat,
    logger,
    get httpUrl() {
      return http?.url ?? null;
    },
    async start() {
      workers = startWorkers<ChatInbound, NotifyJob>({
        queues: queueSettings,
        settings: {
          stepConcurrency: config.workflow.stepConcurrency,
          lockDurationMs: config.workflow.lockDurationMs,
          stalledIntervalMs: config.workflow.stalledIntervalMs,
          shutdownGraceMs: config.workflow.shutdownGraceMs,
        },
        engine,
        logger,
        handleChat: (inbound) => chatService.handle(inbound),
        notify: (job) => notifier.notify(job),
        runStep: async ({ workflow, requestId, step, context, signal }) => {
          // Ports are audited per job, so every call carries the request and the step that made it.
          const auditContext = { requestId, actor: 'sgops', step };
          const ports = {
            // Retries wrap the audit decorator: every attempt is a call, and every call is audited.
            cloud: retryCloudCalls(
              auditPort<CloudNetwork>(
                cloud,
                cloudActions,
                auditSink,
                { ...auditContext, system: 'tencentcloud' },
                { targetOf: cloudTargetOf, secrets },
              ),
              config.tencentcloud.callRetries,
            ),
            cluster: auditPort<Cluster>(
              cluster,
              clusterActions,
              auditSink,
              { ...auditContext, system: 'kubernetes' },
              { targetOf: clusterTargetOf, secrets },
            ),
            clock,
            settings: grantSettings,
            signal,
          };
          const run = workflows[workflow]?.steps(ports)[step];
          if (!run) throw new AppError('INTERNAL', `Workflow ${workflow} has no step ${step}.`);
          const interrupted = await closeInterruptedCalls(store, requestId, step);
          if (interrupted > 0)
            logger.warn({ requestId, step, interrupted }, 'closed calls a stopped process left open');
          const started = performance.now();
          const seconds = () => (performance.now() - started) / 1000;
          try {
            const result = await run(context as never);
            metrics.observeStep(workflow, step, result.status, seconds());
            return result;
          } catch (error) {
            metrics.observeStep(workflow, step, toAppError(error).code, seconds());
            throw error;
          }
        },
      });
      await dispatcher.sweep();
      await reconciler.reconcile();
      sweep = setInterval(() => {
        dispatcher.sweep().catch((err: unknown) => logger.warn({ err }, 'outbox sweep failed'));
      }, config.workflow.outboxSweepMs);
      sweep.unref();
      reconcile = setInterval(() => {
        reconciler.reconcile().catch((err: unknown) => logger.warn({ err }, 'queue reconcile failed'));
      }, config.workflow.reconcileMs);
      reconcile.unref();
      const httpPort = config.http.port ?? (slack || wecom ? 8080 : undefined);
      if (httpPort !== undefined) {
        // A separate, non-queuing client: readiness must fail fast while Redis is away, not wait like BullMQ's.
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
        redis.on('error', () => {});
        readinessRedis = redis;
        http = await startHttpServer({
          host: config.http.host,
          port: httpPort,
          // The audit API answers `sgops audit --state-dir` in the loopback sandbox only.
          plugins:
            config.console.mode === 'sandbox'
              ? [
                  (app) =>
                    auditRoutes(app, {
                      store,
                      auditKey: config.audit.key,
                      ...(checkpoint ? { checkpoint } : {}),
                      secrets,
                    }),
                ]
              : [],
          rawRoutes: [
            ...(slack ? [{ prefix: '/slack/', listener: slack.requestListener }] : []),
            ...(wecom ? [{ prefix: '/wecom/', listener: wecom }] : []),
          ],
          logger,
          metrics: metrics.registry,
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
                  mode: config.console.mode,
                  tokens: config.console.tokens,
                  people: config.policy.people.map((p) => ({
                    id: p.id,
                    name: p.name ?? p.id,
                    ...(p.locale ? { locale: p.locale } : {}),
                  })),
                },
        });
      }
    },
    async stop() {
      await wecom?.idle();
      await http?.close();
      if (sweep) clearInterval(sweep);
      if (reconcile) clearInterval(reconcile);
      await workers?.close();
      await queues.close();
      readinessRedis?.disconnect();
      await limitedCloud?.close();
      await checkpoint?.close();
      if (!deps.store) await baseStore.close();
    },
  };
}

function kubeConfigOf(config: Config): KubeConfig {
  if (config.kubernetes.server) {
    return kubeConfigFor({
      server: config.kubernetes.server,
      ...(config.kubernetes.token ? { token: config.kubernetes.token } : {}),
    });
  }
  const kc = new KubeConfig();
  if (config.kubernetes.kubeconfig) kc.loadFromFile(config.kubernetes.kubeconfig);
  else kc.loadFromCluster();
  return kc;
}
