/**
 * Waits until Redis answers a PING, for as long as it cannot be reached (see
 * wait-until-reachable.ts). Called before anything else touches Redis at start: BullMQ and ioredis
 * reconnect by themselves once connected, but a first connection that fails would end the start.
 * A refusal that is no outage (a wrong password) fails at once.
 */
import { Redis } from 'ioredis';
import { unreachableSocketCodes, waitUntilReachable } from '../startup/wait-until-reachable.ts';
import type { Waiting } from '../startup/wait-until-reachable.ts';

export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && unreachableSocketCodes.has(code)) return true;
  // ioredis' words for a connection that closed before it was ready, and Redis still loading its
  // data set after a restart: both worth waiting for.
  return /^Connection is closed|^LOADING /.test(error.message);
}

async function pingOnce(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // connect() rejects with "Connection is closed."; the socket's own error (ECONNREFUSED …) is
  // emitted first, and says more to whoever reads the log.
  let socketError: unknown;
  client.on('error', (error: unknown) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw socketError ?? error;
  } finally {
    client.disconnect();
  }
}

export function waitForRedis(url: string, onWaiting?: (waiting: Waiting) => void): Promise<void> {
  return waitUntilReachable(() => pingOnce(url), {
    isOutage: isRedisOutage,
    ...(onWaiting ? { onWaiting } : {}),
  });
}
