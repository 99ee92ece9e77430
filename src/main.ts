/**
 * The composition root: createApp(config) wires every part together, and still holds the step
 * runner (the audited ports of each step job) and the order of start and stop. Each outside thing
 * (clients, clock, randomness, logger, transports, the workflows) can be passed in by the caller.
 */
import { createHash, randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { KubeConfig } from '@kubernetes/client-node';
import { secretsOf } from './config-secrets.ts';
import { createLogger } from './logging/create-logger.ts';
import { createOutageLog } from './logging/outage-log.ts';
import { createSecretList, learningCredential, type SecretList } from './logging/secret-list.ts';
import type { Config } from './config.ts';
import { createStore } from './store/create-store.ts';
import type { Store } from './store/store.ts';
import type { ChatStateStore } from './store/chat-state-store.ts';
import { createQueues, redisConnectionFromUrl } from './engine/queues.ts';
import type { Queues } from './engine/queues.ts';
import { createOutboxDispatcher } from './engine/outbox-dispatcher.ts';
import { createEngine } from './engine/engine.ts';
import type { Engine } from './engine/engine.ts';
import { startWorkers } from './engine/workers.ts';
import { workflowEffectRunners } from './engine/workflow-effects.ts';
import { createReconciler } from './engine/reconcile-queues.ts';
import type { Workers } from './engine/workers.ts';
import { createPolicy } from './policy/create-policy.ts';
import type { Policy } from './policy/create-policy.ts';
import { createGroupDirectory } from './policy/group-directory.ts';
import { createChatIntake } from './chat/chat-intake.ts';
import type { ChatIntake } from './chat/chat-intake.ts';
import { createChatService } from './chat/chat-service.ts';
import { markingHandled } from './chat/marking-handled.ts';
import { createChatLineReconciler } from './chat/requeue-lost-chat-lines.ts';
import { createNotifier } from './chat/notifier.ts';
import type { NotifyJob } from './chat/notifier.ts';
import type { ChatInbound } from './chat/chat-message.ts';
import { auditPort } from './audit/audit-port.ts';
import { createAuditCheckpoint } from './audit/create-audit-checkpoint.ts';
import { checkpointOnAppend } from './audit/checkpoint-on-append.ts';
import { createAuditWriteBehind } from './audit/audit-write-behind.ts';
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
import { kubeconfigSecrets } from '../adapters/kubernetes/kubeconfig-secrets.ts';
import { createClusterKubeconfigs } from '../adapters/tencentcloud/create-cluster-kubeconfigs.ts';
import { clusterKubeconfigActions } from './ports/cluster-kubeconfig.ts';
import type { ClusterKubeconfigs } from './ports/cluster-kubeconfig.ts';
import { createClusterDirectory } from './clusters/cluster-directory.ts';
import type { AccountPorts } from './clusters/cluster-directory.ts';
import type { KubernetesAccess } from './clusters/cluster-config.ts';
import {
  createCloudCredential,
  credentialIdentity,
  type CredentialSpec,
} from '../adapters/tencentcloud/create-cloud-credential.ts';
import { createRateLimitedCloudNetwork } from '../adapters/tencentcloud/create-rate-limited-cloud-network.ts';
import { retryCloudCalls } from '../adapters/tencentcloud/retry-cloud-calls.ts';
import { createRedisGroupWriteLock } from '../adapters/redis/redis-group-write-lock.ts';
import { createKubernetesCluster, kubeConfigFor } from '../adapters/kubernetes/index.ts';
import { createConsoleChat } from '../adapters/console/console-chat.ts';
import { createStoredConsoleHistory } from '../adapters/console/stored-console-history.ts';
import { createRedisConsoleBus } from '../adapters/console/redis-console-bus.ts';
// Bolt (Slack) and WeCom's XML and crypto are imported below only when configured; these parts are light.
import { createDurableSlackThreadStore } from '../adapters/slack/slack-thread-store.ts';
import { slackUserGroupReader } from '../adapters/slack/read-slack-user-group.ts';
import { createDurableWeComCardStore, pruneExpiredWeComCards } from '../adapters/wecom/wecom-card-store.ts';
import { createWeComApiClient } from '../adapters/wecom/create-wecom-api-client.ts';
import { createWeComTransport } from '../adapters/wecom/create-wecom-transport.ts';
import type { ChatTransport, Platform } from './chat/chat-message.ts';
import { startHttpServer } from './http/start-http-server.ts';
import type { HttpServer } from './http/start-http-server.ts';
import { startMetricsServer } from './http/start-metrics-server.ts';
import { startStartupServer } from './http/start-startup-server.ts';
import { waitForRedis } from './engine/wait-for-redis.ts';
import { waitUntilReachable } from './startup/wait-until-reachable.ts';
import type { Waiting } from './startup/wait-until-reachable.ts';
import type { ConsoleChat } from '../adapters/console/console-chat.ts';
import { workflowRegistry, workflowsByName } from '../workflows/index.ts';
import type { WorkflowModule } from '../workflows/index.ts';
import { AppError, isAppError, toAppError } from './errors.ts';
import { createMetrics } from './metrics/create-metrics.ts';
import type { AuditEntry } from './store/store.ts';

/** How long a step waits for Postgres to write its calls' outcome rows before it gives them up. */
const auditFlushPatienceMs = 60_000;

/** How often expired chat state (Slack thread entries, WeCom cards) is deleted. */
const chatStatePruneEveryMs = 3600 * 1000;

export interface AppDeps {
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Stands in for the SDK client of every account and region (still rate-limited and audited). */
  cloud?: CloudNetwork;
  /** Stands in for the Kubernetes client of every cluster. */
  cluster?: Cluster;
  /** With the chat platforms' shared state beside it (what createStore returns). */
  store?: Store & ChatStateStore;
  /** The workflows to run and show (default: workflows/index.ts). */
  workflows?: readonly WorkflowModule[];
}

export interface App {
  config: Config;
  store: Store;
  queues: Queues;
  engine: Engine;
  intake: ChatIntake;
  console: ConsoleChat;
  /** The access policy every decision and every read scope is judged by. */
  policy: Policy;
  /** The workflows this app runs and shows. */
  workflows: readonly WorkflowModule[];
  logger: Logger;
  /** The HTTP server's URL once started, when config.http.port is set. */
  httpUrl: string | null;
  /** Where /metrics is served once started: its own server's URL when config.metrics.port is set, else httpUrl. */
  metricsUrl: string | null;
  /** Starts the workers, the outbox sweep and (when configured) the HTTP server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  // Every secret the config holds, masked in the audit trail and in every log line.
  const secrets = secretsOf(config);
  // The configured secrets plus those learned at run time (STS keys, fetched kubeconfigs).
  const secretList = createSecretList(secrets);
  const currentSecrets = () => secretList.values();
  const logger = deps.logger ?? createLogger({ level: config.logLevel, secrets: currentSecrets });
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? (() => randomInt(0, 2 ** 48 - 1) / 2 ** 48);
  const httpPort = config.http.port ?? (config.slack || config.wecom ? 8080 : undefined);
  // The port answers from the first moment: while the replica waits for Postgres or Redis, /readyz says so.
  const startup =
    httpPort === undefined
      ? null
      : await startStartupServer({
          host: config.http.host,
          port: httpPort,
          ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
          logger,
        });
  const waitingFor = (dependency: 'postgres' | 'redis', name: string, setting: string) => (w: Waiting) => {
    logger.warn(
      { err: w.error, attempt: w.attempt, retryInMs: w.retryInMs },
      `${name} cannot be reached yet (${setting}); waiting for it before starting`,
    );
    startup?.report(
      dependency,
      `waiting for ${name} (${setting}): ${w.error.message}; try ${w.attempt}, next in ${w.retryInMs} ms`,
    );
  };

  const baseStore =
    deps.store ??
    (await createStore(
      config.database.kind === 'pg'
        ? {
            kind: 'pg',
            url: config.database.url,
            ...(config.database.schema ? { schema: config.database.schema } : {}),
            // A restart of Postgres ends every connection: said once each, and the pool opens new ones.
            onPoolError: (err: Error) =>
              logger.warn({ err }, 'a database connection was lost; work in flight on it is retried'),
            // Started during an outage: wait for Postgres rather than exit.
            onWaiting: waitingFor('postgres', 'Postgres', 'DATABASE_URL'),
            auditKey: config.audit.key,
            clock,
          }
        : {
            kind: 'pglite',
            ...(config.database.path ? { path: config.database.path } : {}),
            auditKey: config.audit.key,
            clock,
          },
    ).catch(async (error: unknown) => {
      await startup?.close();
      throw error;
    }));
  startup?.report('postgres', null);
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
  const queues = createQueues(
    queueSettings,
    createOutageLog(logger, 'Redis cannot be reached (REDIS_URL); queued work waits for it'),
  );
  const dispatcher = createOutboxDispatcher({
    store,
    queues,
    settings: { stepAttempts: config.workflow.stepAttempts, stepBackoffMs: config.workflow.stepBackoffMs },
    logger,
  });
  // Every workflow, from the one registry (a caller may bring its own list).
  const registry = deps.workflows ?? workflowRegistry;
  const workflows = workflowsByName(registry);
  const metrics = createMetrics({
    workflows: registry,
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
  // Requests are counted as the engine commits their changes, so a scrape reads no table.
  const engine = createEngine({
    store,
    workflows,
    dispatcher,
    logger,
    onStateChange: (change) => metrics.observeStateChange(change),
  });
  // Every audited call passes through here once: the trail and the call counters cannot disagree.
  const auditSink = {
    async appendAudit(entries: AuditEntry[]) {
      const rows = await store.appendAudit(entries);
      metrics.observeAudit(entries);
      return rows;
    },
  };
  // Every cluster's ports: one cloud per account and region, one Kubernetes client per cluster.
  const clusterPorts = createClusterDirectory<TencentAccountPorts>({
    clusters: config.clusters,
    callRetriesOf: (account) => config.tencentcloud.accounts[account]!.callRetries,
    openAccount: (account, region) =>
      openAccountPorts(config, account, region, {
        redis: queueSettings.connection as RedisOptions,
        secrets: secretList,
        ...(deps.cloud ? { cloud: deps.cloud } : {}),
      }),
    openCluster: (clusterId, settings, via) => {
      if (deps.cluster) return deps.cluster;
      const access = settings.kubernetes;
      if (!access.fromCloud) return createKubernetesCluster({ kubeConfig: kubeConfigOf(access) });
      // TKE's kubeconfig, asked as the cluster's account; the call is audited like any other.
      const kubeconfigs = auditPort<ClusterKubeconfigs>(
        via.kubeconfigs,
        clusterKubeconfigActions,
        auditSink,
        { requestId: null, actor: 'sgops', system: 'tencentcloud', clusterId },
        { targetOf: (_method, args) => String(args[0]), secrets: currentSecrets },
      );
      return kubeconfigs
        .describeClusterKubeconfig(clusterId, { extranet: access.extranet === true })
        .then(({ kubeconfig }) => {
          const kubeConfig = new KubeConfig();
          kubeConfig.loadFromString(kubeconfig);
          secretList.learn(kubeconfigSecrets(kubeConfig));
          return createKubernetesCluster({ kubeConfig });
        });
    },
  });
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
  // Chat state lives in the database; when the console is served, its messages reach every
  // replica's live views through Redis (two more connections, so only then).
  const consoleBus =
    config.console.mode === 'off'
      ? null
      : createRedisConsoleBus({ url: config.redis.url, channel: `${config.redis.prefix}:console`, logger });
  const consoleChat = createConsoleChat({
    intake: () => intake,
    history: createStoredConsoleHistory(baseStore),
    ...(consoleBus ? { bus: consoleBus } : {}),
  });
  // Slack and WeCom, when configured: webhooks record lines through the intake; transports carry replies.
  // Their modules load only then: Bolt alone keeps ~13 MB resident (docs/performance.md, footprint).
  const slackKit = config.slack ? await import('../adapters/slack/index.ts') : null;
  const slackThreads = createDurableSlackThreadStore(baseStore, { now: () => clock.now() });
  const slack =
    config.slack && slackKit
      ? slackKit.createSlackAdapter({
          mode: config.slack.mode,
          ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
          ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
          botToken: config.slack.botToken,
          botUserId: config.slack.botUserId,
          botId: config.slack.botId,
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          intake,
          logger,
          threads: slackThreads,
          resolveRequestThread: slackKit.requestOfThread(slackThreads),
        })
      : null;
  const wecomCards = createDurableWeComCardStore(baseStore, { now: () => clock.now() });
  const wecomApi = config.wecom
    ? createWeComApiClient({
        corpId: config.wecom.corpId,
        corpSecret: config.wecom.corpSecret,
        agentId: config.wecom.agentId,
        ...(config.wecom.apiBaseUrl ? { apiBaseUrl: config.wecom.apiBaseUrl } : {}),
        fetch,
      })
    : null;
  // Groups may also hold the people in a Slack user group or a WeCom department, read in the background.
  const directory = createGroupDirectory({
    groups: config.policy.groups,
    readers: {
      ...(slack ? { slackUserGroup: slackUserGroupReader(slack.client) } : {}),
      ...(wecomApi ? { wecomDepartment: (id: number) => wecomApi.departmentUserIds(id) } : {}),
    },
    clock,
    logger,
    ...(config.policy.directoryTtlMs ? { ttlMs: config.policy.directoryTtlMs } : {}),
  });
  const policy = createPolicy(config.policy, { directory });
  const wecom = config.wecom
    ? (await import('../adapters/wecom/create-wecom-callback.ts')).createWeComCallback({
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
    ...(slack && slackKit
      ? { slack: slackKit.createSlackTransport({ client: slack.client, threads: slackThreads, logger }) }
      : {}),
    ...(wecomApi ? { wecom: createWeComTransport({ api: wecomApi, cards: wecomCards, logger }) } : {}),
  };
  // Direct replies always find the console, whatever reaches people by notification.
  const replyTransports = { console: consoleChat, ...transports };
  const chatService = createChatService({
    workflows: registry,
    engine,
    policy,
    store,
    clusterFor: async (personId, clusterId) =>
      auditPort<Cluster>(
        (await clusterPorts.portsFor(clusterId)).cluster,
        clusterActions,
        auditSink,
        { requestId: null, actor: personId, system: 'kubernetes', clusterId },
        { targetOf: clusterTargetOf, secrets: currentSecrets },
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
      clusterIds: Object.keys(config.clusters),
      defaultNamespace: config.defaults.namespace,
      approvalTimeoutMs: config.workflow.approvalTimeoutMs,
      approvalReminderMs: config.workflow.approvalReminderMs,
      ...(config.workflow.expiryWarningMs === undefined
        ? {}
        : { expiryWarningMs: config.workflow.expiryWarningMs }),
    },
    logger,
  });
  const notifier = createNotifier({
    workflows: registry,
    engine,
    policy,
    transports,
    logger,
    ...(config.console.publicUrl ? { consoleUrl: config.console.publicUrl } : {}),
  });
  // Writes into one security group take turns across replicas, so grants stop racing on its Version.
  const groupWrites = createRedisGroupWriteLock({
    url: config.redis.url,
    keyPrefix: `${config.redis.prefix}:group-writes`,
    logger,
  });
  const grantSettings = {
    clusterGroupName: (clusterId: string) =>
      config.tencentcloud.clusterGroupNameTemplate.replace('{clusterId}', clusterId),
    addonName: config.tencentcloud.addonName,
    pollDelayMs: config.workflow.pollDelayMs,
    rolloutWaitMs: config.workflow.rolloutWaitMs,
  };

  let workers: Workers | null = null;
  let sweep: NodeJS.Timeout | null = null;
  let reconcile: NodeJS.Timeout | null = null;
  let prune: NodeJS.Timeout | null = null;
  // Expired Slack thread entries and WeCom cards are deleted here, off the reply path, at start
  // and then hourly; a failure is only logged, and the next round tries again.
  const pruneChatState = async () => {
    const warn = (err: unknown) => logger.warn({ err }, 'chat state prune failed');
    await baseStore.pruneSlackThreads().catch(warn);
    await pruneExpiredWeComCards(baseStore, clock.now()).catch(warn);
  };
  const reconciler = createReconciler({
    store,
    engine,
    queues,
    dispatcher,
    clock,
    logger,
    workflows: Object.values(workflows),
    chatLines: createChatLineReconciler({ store, chatQueue: queues.chat, clock, logger }),
  });
  let http: HttpServer | null = null;
  let metricsHttp: HttpServer | null = null;
  const metricsToken = config.metrics.token ? { token: config.metrics.token } : {};
  let readinessRedis: Redis | null = null;

  return {
    config,
    store,
    queues,
    engine,
    intake,
    console: consoleChat,
    policy,
    workflows: registry,
    logger,
    get httpUrl() {
      return http?.url ?? null;
    },
    get metricsUrl() {
      return metricsHttp?.url ?? http?.url ?? null;
    },
    async start() {
      // Before anything touches Redis: a first connection that fails would end the start.
      await waitForRedis(config.redis.url, waitingFor('redis', 'Redis', 'REDIS_URL'));
      startup?.report('redis', null);
      // Directory groups are read before the first line is handled (a failure leaves their listed members).
      await directory.start();
      await consoleBus?.start();
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
        handleChat: markingHandled((inbound, options) => chatService.handle(inbound, options), {
          store,
          logger,
        }),
        notify: (job) => notifier.notify(job),
        effects: workflowEffectRunners(registry, { engine, store, clock, logger }),
        clock,
        runStep: async ({ workflow, requestId, step, context, signal, calls }) => {
          // The request's own cluster, reached through its account and region.
          const target = await clusterPorts.portsFor(
            (context as { spec: { clusterId: string } }).spec.clusterId,
          );
          // Ports are audited per job, so every call carries the request, the step and the cluster.
          const auditContext = { requestId, actor: 'sgops', step, clusterId: target.clusterId };
          // Outcome rows are written with the next call's intent instead of on their own; flushed below.
          const writeBehind = createAuditWriteBehind(auditSink);
          const ports = {
            // Retries wrap the audit decorator: every attempt is a call, and every call is audited.
            // A stopping replica starts no new call (calls.guard): retries end, nothing is audited.
            cloud: retryCloudCalls(
              calls.guard(
                auditPort<CloudNetwork>(
                  target.cloud,
                  cloudActions,
                  auditSink,
                  { ...auditContext, system: 'tencentcloud' },
                  { targetOf: cloudTargetOf, secrets: currentSecrets, writeBehind },
                ),
              ),
              target.callRetries,
            ),
            cluster: calls.guard(
              auditPort<Cluster>(
                target.cluster,
                clusterActions,
                auditSink,
                { ...auditContext, system: 'kubernetes' },
                { targetOf: clusterTargetOf, secrets: currentSecrets, writeBehind },
              ),
            ),
            groupWrites,
            clock,
            settings: { ...grantSettings, region: target.region },
            owners: policy,
            signal,
          };
          const run = workflows[workflow]?.steps(ports)[step];
          if (!run) throw new AppError('INTERNAL', `Workflow ${workflow} has no step ${step}.`);
          const interrupted = await closeInterruptedCalls(store, requestId, step);
          if (interrupted > 0)
            logger.warn({ requestId, step, interrupted }, 'closed calls a stopped process left open');
          const started = performance.now();
          const seconds = () => (performance.now() - started) / 1000;
          // The calls' outcome rows outlive a short database outage: written once it is back, so
          // the trail says what happened rather than that it was interrupted.
          const flushAudit = () =>
            waitUntilReachable(() => writeBehind.flush(), {
              isOutage: (e) => isAppError(e) && e.code === 'DATABASE_UNAVAILABLE',
              maxDelayMs: 2000,
              giveUpAfterMs: auditFlushPatienceMs,
            });
          try {
            const result = await run(context as never);
            await flushAudit();
            metrics.observeStep(workflow, step, result.status, seconds());
            return result;
          } catch (error) {
            // The step's error is what it reports; its outcome rows are still written first, once
            // every call it started has answered (one refused while another still ran, say).
            await calls.settled();
            await flushAudit().catch(() => undefined);
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
      await pruneChatState();
      prune = setInterval(() => void pruneChatState(), chatStatePruneEveryMs);
      prune.unref();
      if (config.metrics.port !== undefined) {
        metricsHttp = await startMetricsServer({
          host: config.http.host,
          port: config.metrics.port,
          ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
          logger,
          registry: metrics.registry,
          ...metricsToken,
        });
      }
      if (httpPort !== undefined) {
        // A separate, non-queuing client: readiness must fail fast while Redis is away, not wait like BullMQ's.
        const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
        redis.on('error', () => {});
        readinessRedis = redis;
        await startup?.close();
        http = await startHttpServer({
          host: config.http.host,
          port: httpPort,
          ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
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
            ...(slack?.mode === 'http' ? [{ prefix: '/slack/', listener: slack.requestListener }] : []),
            ...(wecom ? [{ prefix: '/wecom/', listener: wecom }] : []),
          ],
          logger,
          // With a port of their own, the metrics are not on this one.
          ...(config.metrics.port === undefined
            ? { metrics: { registry: metrics.registry, ...metricsToken } }
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
                  workflows: Object.fromEntries(registry.map((w) => [w.name, w.machine])),
                  views: registry,
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
      // Socket Mode: connect last, once the workers can take what arrives; a refused token fails start.
      await slack?.start();
    },
    async stop() {
      await startup?.close();
      await directory.stop();
      await slack?.close();
      await wecom?.idle();
      await http?.close();
      await metricsHttp?.close();
      if (sweep) clearInterval(sweep);
      if (reconcile) clearInterval(reconcile);
      if (prune) clearInterval(prune);
      await workers?.close();
      await groupWrites.close();
      await dispatcher.settle();
      await consoleBus?.close();
      await queues.close();
      readinessRedis?.disconnect();
      await clusterPorts.close();
      await checkpoint?.close();
      if (!deps.store) await baseStore.close();
    },
  };
}

/** One account in one region: its cloud port, on a rate budget of its own, and TKE's kubeconfigs. */
interface TencentAccountPorts extends AccountPorts {
  kubeconfigs: ClusterKubeconfigs;
}

function openAccountPorts(
  config: Config,
  name: string,
  region: string,
  options: { redis: RedisOptions; secrets: SecretList; cloud?: CloudNetwork },
): TencentAccountPorts {
  const account = config.tencentcloud.accounts[name]!;
  const credentials = account.credentials;
  const credentialSpec: CredentialSpec =
    credentials.kind === 'oidc'
      ? { ...credentials, region: credentials.region ?? account.region ?? region }
      : credentials;
  const endpoint = account.endpoint ? { endpoint: account.endpoint } : {};
  const timeoutMs = config.tencentcloud.callTimeoutMs;
  // Permanent keys, or temporary ones from STS renewed before they expire.
  const credential = learningCredential(
    createCloudCredential(credentialSpec, { region, ...endpoint, timeoutMs }),
    options.secrets,
  );
  const sdkCloud = options.cloud ?? createTencentCloudNetwork({ credential, region, ...endpoint, timeoutMs });
  // One budget per account and region, shared by every replica through Redis.
  const limitedCloud = account.rateLimit.enabled
    ? createRateLimitedCloudNetwork(sdkCloud, {
        redis: options.redis,
        keyPrefix: `${config.redis.prefix}:tc-limits:${createHash('sha256')
          .update(`${credentialIdentity(credentialSpec)}/${region}`)
          .digest('hex')
          .slice(0, 16)}`,
        maxWaitMs: account.rateLimit.maxWaitMs,
      })
    : null;
  return {
    cloud: limitedCloud ?? sdkCloud,
    kubeconfigs: createClusterKubeconfigs({ credential, region, ...endpoint, timeoutMs }),
    close: async () => {
      await limitedCloud?.close();
    },
  };
}

function kubeConfigOf(access: KubernetesAccess): KubeConfig {
  if (access.server) {
    return kubeConfigFor({
      server: access.server,
      ...(access.token ? { token: access.token } : {}),
    });
  }
  const kc = new KubeConfig();
  if (access.kubeconfig) kc.loadFromFile(access.kubeconfig);
  else kc.loadFromCluster();
  return kc;
}
