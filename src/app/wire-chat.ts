/**
 * The chat side of the app, built from the platform registry: the intake every platform hands
 * its lines to, each configured platform opened (its transport, webhook routes, socket, directory
 * reader), the policy over the identities the platforms declare, and the order they start and
 * stop in. No platform is named here but the console, which the app always has.
 */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { createChatIntake } from '../chat/chat-intake.ts';
import { createAcksFirst, type AcksFirst } from '../chat/acks-first.ts';
import type { ChatIntake } from '../ports/chat-intake.ts';
import type { ChatTransport, Platform } from '../ports/chat-message.ts';
import type { ChatStateStore } from '../ports/chat-state.ts';
import type { Clock } from '../ports/clock.ts';
import type { DirectoryReaders } from '../ports/directory.ts';
import {
  identitiesOf,
  type ChatPlatform,
  type ChatRoute,
  type OpenChatPlatform,
} from '../ports/chat-platform.ts';
import { createGroupDirectory, type GroupDirectory } from '../policy/group-directory.ts';
import { createPolicy, type Policy } from '../policy/create-policy.ts';
import type { ConsoleChat } from '../../adapters/console/console-chat.ts';
import { consolePlatform } from '../../adapters/console/platform.ts';
import { chatPlatforms } from './chat-platforms.ts';
import { decisionLine } from './decision-line.ts';

export interface WireChatDeps {
  config: Config;
  /** Where the intake records lines. */
  store: Store;
  /** The platforms' tables (threads, cards, the console's conversation). */
  state: ChatStateStore;
  chatQueue: Queue;
  metrics: { observeChatIntake(platform: Platform, seconds: number): void };
  clock: Clock;
  logger: Logger;
  /** The registry (default src/app/chat-platforms.ts); the console is opened even when it is left out. */
  platforms?: readonly ChatPlatform[];
}

export interface WiredChat {
  intake: ChatIntake;
  /** The chat worker runs its answers through it, so acknowledgements under way go first. */
  acksFirst: AcksFirst;
  consoleChat: ConsoleChat;
  /** Groups' members on the platforms, read in the background. */
  directory: GroupDirectory;
  policy: Policy;
  /** Where notifications reach people: every opened platform (a fallback one only when alone). */
  transports: Partial<Record<Platform, ChatTransport>>;
  /** Where direct replies go: every opened platform, the console always. */
  replyTransports: Partial<Record<Platform, ChatTransport>>;
  /** Deletes every platform's expired state; a failure is only logged. */
  pruneChatState(): Promise<void>;
  /** The platforms' webhook routes on the app's HTTP server. */
  rawRoutes: ChatRoute[];
  /** Before the workers start: the directory's first read, the platforms' pub/sub. */
  start(): Promise<void>;
  /** Last in the app's start: sockets connect once the workers can take what arrives. */
  connect(): Promise<void>;
  /** First in the app's stop: no new lines, webhook work in flight finished. */
  disconnect(): Promise<void>;
  /** After the workers have stopped. */
  stop(): Promise<void>;
}

export async function wireChat(deps: WireChatDeps): Promise<WiredChat> {
  const { config, clock, logger } = deps;
  const registry = deps.platforms ?? chatPlatforms;
  const acksFirst = createAcksFirst();
  const recordingIntake = createChatIntake({
    store: deps.store,
    chatQueue: deps.chatQueue,
    logger,
    acks: acksFirst,
  });
  const intake: ChatIntake = {
    async receive(inbound, options) {
      const started = performance.now();
      try {
        return await recordingIntake.receive(inbound, options);
      } finally {
        deps.metrics.observeChatIntake(inbound.platform, (performance.now() - started) / 1000);
      }
    },
  };
  const sections = config as unknown as Record<string, unknown>;
  const openDeps = <S>(platform: ChatPlatform<S>) => {
    const raw = sections[platform.name];
    return {
      section: raw === undefined ? undefined : platform.config.parse(raw),
      intake,
      decisionLine,
      state: deps.state,
      redis: { url: config.redis.url, prefix: config.redis.prefix },
      clock,
      logger,
    };
  };
  // The console always opens (the app's own conversation); the others when configured, in registry order.
  const consoleOpen = (await consolePlatform.open(openDeps(consolePlatform)))!;
  const opened: [Platform, OpenChatPlatform][] = [[consolePlatform.name, consoleOpen]];
  for (const platform of registry) {
    if (platform.name === consolePlatform.name) continue;
    const open = await platform.open(openDeps(platform));
    if (open) opened.push([platform.name, open]);
  }
  const platforms = registry.some((p) => p.name === consolePlatform.name)
    ? registry
    : [consolePlatform, ...registry];
  const identities = identitiesOf(platforms);

  // Groups may also hold the people in a platform's own groups, read in the background.
  const readers: DirectoryReaders = Object.assign({}, ...opened.map(([, open]) => open.directory ?? {}));
  const directory = createGroupDirectory({
    groups: config.policy.groups,
    readers,
    identities,
    clock,
    logger,
    ...(config.policy.directoryTtlMs ? { ttlMs: config.policy.directoryTtlMs } : {}),
  });
  const policy = createPolicy(config.policy, { identities, directory });

  // A fallback platform (the console while not served) reaches people only when no other one does.
  const alone = opened.every(([, open]) => open.fallbackOnly);
  const transports = Object.fromEntries(
    opened.filter(([, open]) => alone || !open.fallbackOnly).map(([name, open]) => [name, open.transport]),
  );
  const replyTransports = { [consolePlatform.name]: consoleOpen.transport, ...transports };
  const each = async (step: (open: OpenChatPlatform) => Promise<void> | undefined) => {
    for (const [, open] of opened) await step(open);
  };

  return {
    intake,
    acksFirst,
    consoleChat: consoleOpen.chat,
    directory,
    policy,
    transports,
    replyTransports,
    async pruneChatState() {
      const warn = (err: unknown) => logger.warn({ err }, 'chat state prune failed');
      for (const platform of platforms) await platform.prune?.(deps.state, clock.now()).catch(warn);
    },
    rawRoutes: opened.flatMap(([, open]) => open.routes ?? []),
    async start() {
      // Directory groups are read before the first line is handled (a failure leaves their listed members).
      await directory.start();
      await each((open) => open.start?.());
    },
    connect: () => each((open) => open.connect?.()),
    async disconnect() {
      await directory.stop();
      await each((open) => open.disconnect?.());
    },
    async stop() {
      // Lines acknowledged just before the stop reach the queue before its connection closes.
      await recordingIntake.settled();
      await each((open) => open.stop?.());
    },
  };
}
