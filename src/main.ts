/**
 * The composition root: createApp(config, deps) reads as the list of the app's parts, in the
 * order they are wired; each is built in a file of its own under src/app/, where the adapters are
 * picked. start() and stop() hold the order things come up and go down in. Each outside thing
 * (clients, clock, randomness, logger, store, the workflows) can be passed in by the caller.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { secretsOf } from './config-secrets.ts';
import { createLogger } from './logging/create-logger.ts';
import { createSecretList } from './logging/secret-list.ts';
import type { Config } from './config.ts';
import type { Store } from './store/store.ts';
import type { ChatStateStore } from './ports/chat-state.ts';
import type { Queues } from './engine/queues.ts';
import type { Engine } from './engine/engine.ts';
import type { Workers } from './engine/workers.ts';
import { waitForRedis } from './engine/wait-for-redis.ts';
import type { Policy } from './policy/create-policy.ts';
import type { ChatIntake } from './ports/chat-intake.ts';
import type { ChatPlatform } from './ports/chat-platform.ts';
import { createNotifier } from './chat/notifier.ts';
import type { CloudNetwork } from './ports/cloud-network.ts';
import type { Cluster } from './ports/cluster.ts';
import { systemClock } from './ports/clock.ts';
import type { Clock } from './ports/clock.ts';
import type { HttpServer } from './http/start-http-server.ts';
import type { ConsoleChat } from '../adapters/console/console-chat.ts';
import { workflowRegistry, workflowsByName } from '../workflows/index.ts';
import type { WorkflowModule } from '../workflows/index.ts';
import { openStartupWaits } from './app/startup-waits.ts';
import { openStore } from './app/open-store.ts';
import { wireEngine } from './app/wire-engine.ts';
import { openClusterPorts } from './app/open-cluster-ports.ts';
import { wireChat } from './app/wire-chat.ts';
import { wireChatService } from './app/wire-chat-service.ts';
import { createStepRunner } from './app/create-step-runner.ts';
import { startAppWorkers } from './app/start-app-workers.ts';
import { createBackgroundTimers } from './app/background-timers.ts';
import { createDriftWatch } from './app/drift-watch.ts';
import type { DriftWatch } from './app/drift-watch.ts';
import { serveMetrics } from './app/serve-metrics.ts';
import type { Metrics } from './metrics/create-metrics.ts';
import { httpPortOf, serveHttp } from './app/serve-http.ts';

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
  /** The chat platforms to open when configured (default: src/app/chat-platforms.ts). */
  chatPlatforms?: readonly ChatPlatform[];
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
  /** The drift watch: `sweep()` looks at every grant in force now; it also runs on its schedule. */
  driftWatch: Pick<DriftWatch, 'sweep'>;
  /** The registry /metrics serves, to read in-process (the bench counts step runs from it). */
  metrics: Pick<Metrics, 'registry'>;
  /** Starts the workers, the outbox sweep and (when configured) the HTTP server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  // Every secret the config holds, masked in the trail and in logs, and those learned at run time.
  const secrets = secretsOf(config);
  const secretList = createSecretList(secrets);
  const currentSecrets = () => secretList.values();
  const logger = deps.logger ?? createLogger({ level: config.logLevel, secrets: currentSecrets });
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? (() => randomInt(0, 2 ** 48 - 1) / 2 ** 48);
  const waits = await openStartupWaits(config, logger, httpPortOf(config));
  const stores = await openStore(config, { logger, clock, waits, given: deps.store });
  const { store, baseStore, checkpoint } = stores;
  // Every workflow, from the one registry (a caller may bring its own list).
  const registry = deps.workflows ?? workflowRegistry;
  const workflows = workflowsByName(registry);
  // The durable core every other part is wired from.
  const core = {
    store,
    logger,
    clock,
    currentSecrets,
    ...wireEngine(config, { store, logger, clock, workflows }),
  };
  const { queues, dispatcher, engine, metrics, auditSink } = core;
  const clusterPorts = openClusterPorts(config, { secrets: secretList, auditSink, standIns: deps });
  const chat = await wireChat({
    config,
    store,
    state: baseStore,
    chatQueue: queues.chat,
    metrics,
    clock,
    logger,
    ...(deps.chatPlatforms ? { platforms: deps.chatPlatforms } : {}),
  });
  const { policy } = chat;
  const chatService = wireChatService(config, { ...core, registry, chat, clusterPorts, checkpoint, random });
  let http: HttpServer | null = null;
  const notifier = createNotifier({
    workflows: registry,
    engine,
    policy,
    transports: chat.transports,
    logger,
    // The sandbox's console may have moved off a taken port: its links follow where it listens.
    consoleUrl: () =>
      config.console.publicUrl ?? (config.console.mode === 'sandbox' ? (http?.url ?? undefined) : undefined),
  });
  const steps = createStepRunner(config, { ...core, workflows, clusterPorts, policy });
  const timers = createBackgroundTimers(config, { ...core, pruneChatState: chat.pruneChatState });
  const driftWatch = createDriftWatch(config, { ...core, clusterPorts, queueSettings: queues.settings });
  let workers: Workers | null = null;
  let metricsHttp: HttpServer | null = null;

  return {
    metrics,
    config,
    store,
    queues,
    engine,
    intake: chat.intake,
    console: chat.consoleChat,
    policy,
    workflows: registry,
    logger,
    driftWatch,
    get httpUrl() {
      return http?.url ?? null;
    },
    get metricsUrl() {
      return metricsHttp?.url ?? http?.url ?? null;
    },
    async start() {
      // Before anything touches Redis: a first connection that fails would end the start.
      await waitForRedis(config.redis.url, waits.waitingFor('redis', 'Redis', 'REDIS_URL'));
      waits.reached('redis');
      await chat.start();
      workers = startAppWorkers(config, {
        ...core,
        registry,
        chatService,
        notifier,
        acksFirst: chat.acksFirst,
        runStep: steps.runStep,
      });
      await timers.start();
      await driftWatch.start();
      metricsHttp = await serveMetrics(config, { logger, metrics });
      if (waits.httpPort !== undefined) {
        await waits.close();
        http = await serveHttp(config, waits.httpPort, {
          ...core,
          chat,
          checkpoint,
          secrets,
          clusterPorts,
          workflows: registry,
        });
      }
      await chat.connect();
    },
    async stop() {
      await waits.close();
      await chat.disconnect();
      await http?.close();
      await metricsHttp?.close();
      timers.stop();
      await driftWatch.close();
      await workers?.close();
      await steps.close();
      await dispatcher.settle();
      await chat.stop();
      await queues.close();
      await clusterPorts.close();
      await stores.close();
    },
  };
}
