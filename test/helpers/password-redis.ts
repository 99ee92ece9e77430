/**
 * A private redis-server that insists on a password, loopback only, nothing persisted: for tests
 * whose Redis URL must carry a real credential. The sandbox's starter, in a directory of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../src/sandbox/start-private-redis.ts';

export type PasswordRedis = PrivateRedis;

export async function startPasswordRedis(password: string): Promise<PasswordRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-password-redis-'));
  const redis = await startPrivateRedis(dir, { password }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: redis.url,
    async stop() {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
