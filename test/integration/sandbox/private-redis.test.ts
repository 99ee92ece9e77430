import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../../../src/sandbox/start-private-redis.ts';

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A refused client hears why on its error event, then its connect fails with `Connection is closed`.
  let heard = '';
  client.on('error', (error: Error) => (heard = error.message));
  try {
    await client.connect();
    return await client.ping();
  } catch (error) {
    return heard || (error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}

describe('a private redis-server', () => {
  let redis: PrivateRedis | undefined;
  let dir = '';

  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('started with a password answers only a client that gives it, and its url carries it', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-private-redis-'));
    redis = await startPrivateRedis(dir, { password: 'p@ss word' });
    expect(redis.url).toMatch(/^redis:\/\/:p%40ss%20word@127\.0\.0\.1:\d+$/);
    expect(await ping(redis.url)).toBe('PONG');
    expect(await ping(redis.url.replace(/:[^:@/]+@/, ''))).toMatch(/NOAUTH/);
  });

  it('started without one answers anyone on loopback', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-private-redis-'));
    redis = await startPrivateRedis(dir);
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(await ping(redis.url)).toBe('PONG');
  });
});
