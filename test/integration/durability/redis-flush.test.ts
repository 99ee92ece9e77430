import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../src/sandbox/start-private-redis.ts';
import type { PrivateRedis } from '../../../src/sandbox/start-private-redis.ts';
import { startTestWorld } from '../../helpers/test-world.ts';
import type { TestWorld } from '../../helpers/test-world.ts';
import { superNodeDeployment } from '../../helpers/super-node-deployment.ts';

const apps = Array.from({ length: 20 }, (_, i) => `flush-${String(i + 1).padStart(2, '0')}`);
const endStates = ['done', 'needsAttention', 'failed', 'rolledBack', 'denied', 'expired', 'cancelled'];

/** Postgres is the system of record: losing every job in Redis loses no request. */
describe('Redis flushed in the middle of 20 grants', () => {
  let redis: PrivateRedis;
  let redisDir = '';
  let world: TestWorld;

  beforeAll(async () => {
    redisDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-flush-'));
    redis = await startPrivateRedis(redisDir);
    world = await startTestWorld('redis-flush', {
      redis: { url: redis.url, prefix: 'sgops-flush' },
      workflow: { reconcileMs: 1000, outboxSweepMs: 500, stepBackoffMs: 50, pollDelayMs: 200 },
    });
    for (const app of apps)
      world.simulator.create('deployments', 'my-namespace', superNodeDeployment({ app, replicas: 1 }));
    await world.simulator.settle();
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await redis?.stop();
    await rm(redisDir, { recursive: true, force: true });
  });

  async function states(ids: string[]) {
    return Promise.all(ids.map(async (id) => (await world.app.engine.read(id))?.state ?? 'missing'));
  }

  async function until(ids: string[], ok: (state: string) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await states(ids);
      if (now.every(ok)) return now;
      if (Date.now() > deadline) throw new Error(`states: ${now.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('finishes all 20, with the queues rebuilt from Postgres', async () => {
    const ids: string[] = [];
    for (const app of apps)
      ids.push((await world.say('alice', `grant pod SG to app ${app} in my-namespace`)).requestId!);
    await until(ids, (s) => s === 'awaitingApproval', 60_000);

    // Slow pods, so that the grants are mid-flight when Redis loses everything.
    world.simulator.configureKubelet({ startLatencyMs: 1500 });
    for (const id of ids) await world.say('bob', `approve ${id}`);
    await until(ids, (s) => s !== 'awaitingApproval', 30_000);
    const before = await states(ids);
    const inFlight = before.filter((s) => !endStates.includes(s)).length;

    const client = new Redis(redis.url);
    const keysBefore = await client.dbsize();
    await client.flushall();
    await client.quit();
    expect(keysBefore).toBeGreaterThan(0);

    const after = await until(ids, (s) => endStates.includes(s), 120_000);
    console.log(
      `flushed Redis with ${inFlight} of 20 grants in flight; all ended: ${[...new Set(after)].join(', ')}`,
    );
    expect(inFlight).toBeGreaterThan(0);
    expect(after).toEqual(ids.map(() => 'done'));
  }, 240_000);
});
