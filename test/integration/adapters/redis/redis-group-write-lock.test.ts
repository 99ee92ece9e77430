import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createRedisGroupWriteLock,
  type RedisGroupWriteLock,
  type RedisGroupWriteLockOptions,
} from '../../../../adapters/redis/redis-group-write-lock.ts';
import { AppError } from '../../../../src/errors.ts';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A promise and the hand that settles it: a writer that holds its turn until the test says. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('the group write lock over Redis, as two replicas see it', () => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const opened: RedisGroupWriteLock[] = [];
  const keyPrefix = `sgops-test-group-writes-${randomUUID().slice(0, 8)}:group-writes`;
  /** One replica's lock: its own two connections, as each sgops process has. */
  const replica = (options: Partial<RedisGroupWriteLockOptions> = {}) => {
    const lock = createRedisGroupWriteLock({ url, keyPrefix, ...options });
    opened.push(lock);
    return lock;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('lets one writer at a time into a group, across replicas, and takes turns between them', async () => {
    const [a, b] = [replica(), replica()];
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const write = (lock: RedisGroupWriteLock, name: string) =>
      lock.serialise('sg-shared', async () => {
        inside += 1;
        most = Math.max(most, inside);
        order.push(name);
        await sleep(10 + Math.random() * 10);
        inside -= 1;
      });
    // Ten writers on each replica at once, like two replicas running allowDns for 20 grants.
    await Promise.all(Array.from({ length: 10 }, (_, i) => [write(a, `A${i}`), write(b, `B${i}`)]).flat());
    expect(most).toBe(1);
    expect(order).toHaveLength(20);
    // While both have writers waiting, neither replica keeps the group for long.
    const longestRun = Math.max(
      ...order.map((_, i) => {
        let n = 1;
        while (i + n < order.length && order[i + n]![0] === order[i]![0]) n += 1;
        return n;
      }),
    );
    console.info(`turn order: ${order.join(' ')}`);
    expect(longestRun).toBeLessThanOrEqual(3);
    // Given back: nothing of the turn is left under the prefix.
    expect(await redis.exists(`${keyPrefix}:sg-shared`)).toBe(0);
  });

  it('writes into different groups at the same time', async () => {
    const [a, b] = [replica(), replica()];
    const held = deferred();
    const first = a.serialise('sg-one', () => held.promise);
    let otherRan = false;
    await b.serialise('sg-two', async () => {
      otherRan = true;
    });
    expect(otherRan).toBe(true);
    held.resolve();
    await first;
  });

  it('keeps the turn of a holder slower than the turn lifetime, by renewing it', async () => {
    const options = { ttlMs: 400, renewEveryMs: 100 };
    const [a, b] = [replica(options), replica(options)];
    let aEnded = 0;
    let bStarted = 0;
    const slow = a.serialise('sg-slow', async () => {
      await sleep(1_200);
      aEnded = Date.now();
    });
    await until(async () => (await redis.exists(`${keyPrefix}:sg-slow`)) === 1);
    await b.serialise('sg-slow', async () => {
      bStarted = Date.now();
    });
    await slow;
    expect(bStarted).toBeGreaterThanOrEqual(aEnded);
  });

  it('gives a dead holder’s group to the next writer once its turn runs out, and no sooner', async () => {
    const options = { ttlMs: 800, renewEveryMs: 200, pollMs: 200 };
    const [a, b] = [replica(options), replica(options)];
    const never = deferred();
    void a.serialise('sg-orphan', () => never.promise);
    await until(async () => (await redis.exists(`${keyPrefix}:sg-orphan`)) === 1);
    // The holder's connections die (a replica killed): no renewal, no give-back.
    await a.close();
    const died = Date.now();
    let tookAfterMs = -1;
    await b.serialise('sg-orphan', async () => {
      tookAfterMs = Date.now() - died;
    });
    console.info(`a dead holder's group was taken over after ${tookAfterMs} ms (turn lifetime 800 ms)`);
    expect(tookAfterMs).toBeGreaterThan(400);
    expect(tookAfterMs).toBeLessThan(800 + 200 * 1.25 + 300);
    never.resolve();
  });

  it('stops waiting when the step is told to stop, with a retryable error, and never runs the write', async () => {
    const [a, b] = [replica(), replica()];
    const held = deferred();
    const holding = a.serialise('sg-busy', () => held.promise);
    await until(async () => (await redis.exists(`${keyPrefix}:sg-busy`)) === 1);
    const stop = new AbortController();
    let ran = false;
    const waiting = b.serialise(
      'sg-busy',
      async () => {
        ran = true;
      },
      stop.signal,
    );
    // A second writer on the same replica waits in memory behind the first; it stops too.
    const queued = b.serialise('sg-busy', async () => undefined, stop.signal);
    setTimeout(() => stop.abort(), 100);
    for (const outcome of await Promise.allSettled([waiting, queued])) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect({ code: error.code, retryable: error.retryable, reason: error.details['reason'] }).toEqual({
        code: 'GROUP_WRITE_BUSY',
        retryable: true,
        reason: 'stopping',
      });
    }
    expect(ran).toBe(false);
    held.resolve();
    await holding;
    // The writers that gave up left nothing behind: the group is free for the next one at once.
    const started = Date.now();
    await b.serialise('sg-busy', async () => undefined);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('gives up after its wait bound with a retryable GROUP_WRITE_BUSY', async () => {
    const a = replica();
    const b = replica({ maxWaitMs: 300 });
    const held = deferred();
    const holding = a.serialise('sg-long', () => held.promise);
    await until(async () => (await redis.exists(`${keyPrefix}:sg-long`)) === 1);
    const error = (await b.serialise('sg-long', async () => undefined).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect([error.code, error.retryable, error.details['reason']]).toEqual([
      'GROUP_WRITE_BUSY',
      true,
      'timeout',
    ]);
    expect(error.message).toMatch(/sg-long/);
    held.resolve();
    await holding;
  });

  it('never lets a holder whose turn ran out give back the turn another writer took since', async () => {
    const options = { ttlMs: 10_000, renewEveryMs: 60_000, pollMs: 50 };
    const [a, b] = [replica(options), replica(options)];
    const key = `${keyPrefix}:sg-late`;
    const aMayFinish = deferred();
    const bHolds = deferred();
    const bMayFinish = deferred();
    const aWrite = a.serialise('sg-late', () => aMayFinish.promise);
    await until(async () => (await redis.exists(key)) === 1);
    const aToken = await redis.get(key);
    const bWrite = b.serialise('sg-late', async () => {
      bHolds.resolve();
      await bMayFinish.promise;
    });
    // A's turn runs out while it still writes (a pause longer than the lifetime); B takes it.
    await redis.del(key);
    await bHolds.promise;
    const bToken = await redis.get(key);
    expect(bToken).not.toBeNull();
    expect(bToken).not.toBe(aToken);
    aMayFinish.resolve();
    await aWrite;
    // A's give-back compared tokens and left B's turn alone.
    expect(await redis.get(key)).toBe(bToken);
    bMayFinish.resolve();
    await bWrite;
    expect(await redis.exists(key)).toBe(0);
  });

  it('fails a write it cannot queue because Redis is away with a retryable error, and the process goes on', async () => {
    const lock = createRedisGroupWriteLock({ url: 'redis://127.0.0.1:1', keyPrefix });
    opened.push(lock);
    let ran = false;
    const error = (await lock
      .serialise('sg-x', async () => {
        ran = true;
      })
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect([error.code, error.retryable]).toEqual(['NETWORK', true]);
    expect(ran).toBe(false);
  });
});
