/**
 * A private redis-server a test can stop and start again on the same port; it saves nothing, so it
 * comes back empty, as a Redis that crashed. The sandbox's starter, in a directory of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/sandbox/free-port.ts';
import { startPrivateRedis, type PrivateRedis } from '../../src/sandbox/start-private-redis.ts';

export interface RestartableRedis {
  readonly url: string;
  /** Starts it (empty) on its port; a no-op while it runs. */
  start(): Promise<void>;
  /** Ends it, losing everything it held; every client's connection is cut. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function restartableRedis(): Promise<RestartableRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-redis-outage-'));
  const port = await freePort();
  let running: PrivateRedis | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      running ??= await startPrivateRedis(dir, { port });
    },
    async stop() {
      await running?.stop();
      running = null;
    },
    async destroy() {
      await running?.stop();
      running = null;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
