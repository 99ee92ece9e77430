/**
 * The BullMQ queues sgops moves work through. Connection *options* are passed (not an ioredis
 * instance) so BullMQ can set maxRetriesPerRequest itself; `prefix` isolates deployments and tests.
 */
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';

export const queueNames = {
  chat: 'sgops-chat',
  events: 'sgops-events',
  steps: 'sgops-steps',
  notify: 'sgops-notify',
} as const;

export interface QueueSettings {
  connection: ConnectionOptions;
  prefix: string;
}

export interface Queues {
  chat: Queue;
  events: Queue;
  steps: Queue;
  notify: Queue;
  settings: QueueSettings;
  close(): Promise<void>;
}

/**
 * `onError` hears each queue's connection errors (Redis away): without a listener BullMQ writes
 * them to stderr, once per reconnect attempt.
 */
export function createQueues(settings: QueueSettings, onError?: (error: Error) => void): Queues {
  const make = (name: string) => {
    const queue = new Queue(name, { connection: settings.connection, prefix: settings.prefix });
    if (onError) queue.on('error', onError);
    return queue;
  };
  const queues = {
    chat: make(queueNames.chat),
    events: make(queueNames.events),
    steps: make(queueNames.steps),
    notify: make(queueNames.notify),
  };
  return {
    ...queues,
    settings,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** Parses redis://[:password@]host:port[/db] into BullMQ connection options. */
export function redisConnectionFromUrl(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
  };
}
