/**
 * The chat platforms: the recording intake, the console (and its bus), Slack and WeCom when
 * configured, the group directory and the policy that reads it, the transports replies and
 * notifications travel by, and the pruning of their expired state. Moved here whole from
 * createApp; the order of start and stop stays with the composition root, through the four
 * functions this returns.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { ChatStateStore } from '../store/chat-state-store.ts';
import type { Queues } from '../engine/queues.ts';
import type { Metrics } from '../metrics/create-metrics.ts';
import type { Clock } from '../ports/clock.ts';
import { createPolicy } from '../policy/create-policy.ts';
import { createGroupDirectory } from '../policy/group-directory.ts';
import { createChatIntake } from '../chat/chat-intake.ts';
import type { ChatIntake } from '../chat/chat-intake.ts';
import type { ChatTransport, Platform } from '../chat/chat-message.ts';
import type { HttpServerOptions } from '../http/start-http-server.ts';
import { createConsoleChat } from '../../adapters/console/console-chat.ts';
import { createStoredConsoleHistory } from '../../adapters/console/stored-console-history.ts';
import { createRedisConsoleBus } from '../../adapters/console/redis-console-bus.ts';
// Bolt (Slack) and WeCom's XML and crypto are imported below only when configured; these parts are light.
import { createDurableSlackThreadStore } from '../../adapters/slack/slack-thread-store.ts';
import { slackUserGroupReader } from '../../adapters/slack/read-slack-user-group.ts';
import {
  createDurableWeComCardStore,
  pruneExpiredWeComCards,
} from '../../adapters/wecom/wecom-card-store.ts';
import { createWeComApiClient } from '../../adapters/wecom/create-wecom-api-client.ts';
import { createWeComTransport } from '../../adapters/wecom/create-wecom-transport.ts';

export interface ChatWiringDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** The store the engine writes through (with the audit checkpoint, when there is one). */
  store: Store;
  /** The store itself, with the chat platforms' shared state beside it. */
  baseStore: Store & ChatStateStore;
  queues: Queues;
  metrics: Metrics;
}

export async function wireChat({ config, logger, clock, store, baseStore, queues, metrics }: ChatWiringDeps) {
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
  const slackKit = config.slack ? await import('../../adapters/slack/index.ts') : null;
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
    ? (await import('../../adapters/wecom/create-wecom-callback.ts')).createWeComCallback({
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
  // Expired Slack thread entries and WeCom cards are deleted here, off the reply path, at start
  // and then hourly; a failure is only logged, and the next round tries again.
  const pruneChatState = async () => {
    const warn = (err: unknown) => logger.warn({ err }, 'chat state prune failed');
    await baseStore.pruneSlackThreads().catch(warn);
    await pruneExpiredWeComCards(baseStore, clock.now()).catch(warn);
  };
  const rawRoutes: NonNullable<HttpServerOptions['rawRoutes']> = [
    ...(slack?.mode === 'http' ? [{ prefix: '/slack/', listener: slack.requestListener }] : []),
    ...(wecom ? [{ prefix: '/wecom/', listener: wecom }] : []),
  ];

  return {
    intake,
    consoleChat,
    policy,
    transports,
    replyTransports,
    pruneChatState,
    rawRoutes,
    // Before the workers. Directory groups are read before the first line is handled (a failure
    // leaves their listed members).
    async start() {
      await directory.start();
      await consoleBus?.start();
    },
    // Socket Mode: connect last, once the workers can take what arrives; a refused token fails start.
    async connect() {
      await slack?.start();
    },
    // Early in stop: the directory stops reading, and Slack and WeCom take no more lines.
    async stopIntake() {
      await directory.stop();
      await slack?.close();
      await wecom?.idle();
    },
    // After the workers, whose notifications may still reach the console's live views.
    async close() {
      await consoleBus?.close();
    },
  };
}

export type ChatWiring = Awaited<ReturnType<typeof wireChat>>;
