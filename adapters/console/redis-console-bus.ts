/**
 * The ConsoleBus over Redis pub/sub: each replica publishes the console messages its workers
 * send, and hears the others'. Pub/sub keeps nothing, so it cannot grow: the history is in the
 * database, and a message published while a replica was disconnected is read from there on its
 * next look. Publishing never queues while Redis is away (no offline queue), so an outage costs
 * only the hints, not memory.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConsoleBus, ConsoleMessage } from './console-chat.ts';

export interface RedisConsoleBus extends ConsoleBus {
  /** Connects and subscribes; messages from other replicas arrive from then on. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createRedisConsoleBus(options: {
  url: string;
  /** One channel per deployment (the Redis prefix): pub/sub is not scoped by database number. */
  channel: string;
  logger?: Logger;
}): RedisConsoleBus {
  const { channel, logger } = options;
  // Our own messages come back on the channel too; they were already delivered here.
  const self = randomUUID();
  const listeners = new Set<(message: ConsoleMessage) => void>();
  const publisher = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  let warned = false;
  const warnOnce = (error: unknown, what: string) => {
    // Redis away is reported once per outage, not once per message.
    if (warned) return;
    warned = true;
    logger?.warn({ err: error }, what);
  };
  publisher.on('error', (error: unknown) => warnOnce(error, 'console bus: Redis publisher error'));
  subscriber.on('error', (error: unknown) => warnOnce(error, 'console bus: Redis subscriber error'));
  subscriber.on('ready', () => {
    warned = false;
  });
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    const message = parseEnvelope(raw, self);
    if (!message) return;
    for (const listener of listeners) listener(message);
  });

  return {
    publish(message) {
      publisher.publish(channel, JSON.stringify({ from: self, message })).catch((error: unknown) => {
        warnOnce(
          error,
          'console bus: a message was not published; other replicas read it on their next look',
        );
      });
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(channel);
    },
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Another replica's message, or null for our own and for anything malformed. */
function parseEnvelope(raw: string, self: string): ConsoleMessage | null {
  try {
    const envelope = JSON.parse(raw) as { from?: unknown; message?: Partial<ConsoleMessage> };
    const m = envelope.message;
    if (envelope.from === self || !m) return null;
    if (typeof m.seq !== 'number' || typeof m.conversationId !== 'string' || typeof m.text !== 'string')
      return null;
    return m as ConsoleMessage;
  } catch {
    return null;
  }
}
