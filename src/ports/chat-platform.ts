/**
 * One chat platform (the console, Slack, WeCom, the next one) as the app sees it: its name, what
 * it reads of the config and of the policy, and, once opened, where its lines arrive (webhook
 * routes, a socket), how replies reach it (its transport), and who is in its groups. Modelled on
 * bolt-js' `Receiver` and botkube's `Bot`: the core never names a platform; a new one is a folder
 * and a line in the registry (src/app/chat-platforms.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { ChatIdentity } from './chat-identity.ts';
import type { ChatIntake } from './chat-intake.ts';
import type { ChatTransport } from './chat-message.ts';
import type { ChatStateStore } from './chat-state.ts';
import type { DirectoryReaders } from './directory.ts';
import type { DecisionLine } from './decision-line.ts';

/** What a platform is given when it opens. */
export interface ChatPlatformDeps<Section> {
  /** Its config section (the config key named after the platform), validated; absent when not configured. */
  section: Section | undefined;
  /** Where its listener hands every line over. */
  intake: ChatIntake;
  /** The line a decision button stands for, for platforms whose clicks arrive without text. */
  decisionLine: DecisionLine;
  /** The chat state tables; a platform uses those it needs (its threads, its cards). */
  state: ChatStateStore;
  /** Redis, for a platform that shares news between replicas (the console's live views). */
  redis: { url: string; prefix: string };
  clock: Clock;
  logger: Logger;
}

/** A raw HTTP route: requests under `prefix` go to the platform untouched (signatures need raw bodies). */
export interface ChatRoute {
  prefix: string;
  listener: (req: IncomingMessage, res: ServerResponse) => void;
}

/** An opened platform. */
export interface OpenChatPlatform {
  /** How replies and notifications reach people on it. */
  transport: ChatTransport;
  /**
   * True when it reaches people only where no other platform does (the console while it is not
   * served): it still answers lines said on it, but notifications go elsewhere when they can.
   */
  fallbackOnly?: boolean;
  /** Webhook routes on the app's HTTP server. */
  routes?: ChatRoute[];
  /** Readers of its own groups, by the group field its identity declares. */
  directory?: DirectoryReaders;
  /** Before the workers start (a pub/sub connection). */
  start?(): Promise<void>;
  /** Last, once the workers can take what arrives (a socket to connect; a refused token fails the start). */
  connect?(): Promise<void>;
  /** First on stop: no new lines (close the socket, wait for webhook work in flight). */
  disconnect?(): Promise<void>;
  /** After the workers have stopped (they may still have sent through it). */
  stop?(): Promise<void>;
}

export interface ChatPlatform<Section = unknown, Opened extends OpenChatPlatform = OpenChatPlatform> {
  /** The platform's name: `ChatInbound.platform`, its config key, and its person field in the policy. */
  name: string;
  /** Its config section. */
  config: z.ZodType<Section>;
  /** How the policy names people (and groups) on it; absent: its platform ids are person ids (the console). */
  identity?: Omit<ChatIdentity, 'platform'>;
  /** Opens it; null when it is not configured. Heavy SDKs load here, only then. */
  open(deps: ChatPlatformDeps<Section>): Promise<Opened | null>;
  /** Deletes its expired state (hourly), whether it is configured or not (rows outlive a removed config). */
  prune?(state: ChatStateStore, now: Date): Promise<unknown>;
}

/** What the registered platforms declare to the policy. */
export function identitiesOf(platforms: readonly ChatPlatform[]): ChatIdentity[] {
  return platforms.flatMap((p) => (p.identity ? [{ platform: p.name, ...p.identity }] : []));
}
