import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createSharedActionLimiter } from '../../../../adapters/tencentcloud/shared-action-limiter.ts';
import { AppError } from '../../../../src/errors.ts';

describe('the shared per-second action limiter', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await redis.quit();
  });

  /** A clock that only moves when the limiter sleeps, starting at a whole second. */
  function fakeClock(start = Math.floor(Date.now() / 1000) * 1000) {
    let t = start;
    return {
      start,
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
      set: (value: number) => {
        t = value;
      },
    };
  }

  function limiter(clock: ReturnType<typeof fakeClock>, limits: Record<string, number>, maxWaitMs = 10_000) {
    return createSharedActionLimiter({
      storeClient: redis,
      keyPrefix: `test:limiter:${randomUUID()}`,
      limits,
      maxWaitMs,
      now: clock.now,
      sleep: clock.sleep,
    });
  }

  it('lets through at most the limit per second and sends the rest into the following seconds', async () => {
    const clock = fakeClock();
    const gate = limiter(clock, { DescribeAddon: 3 });
    const seconds: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await gate.acquire('DescribeAddon');
      seconds.push((clock.now() - clock.start) / 1000);
    }
    expect(seconds).toEqual([0, 0, 0, 1, 1, 1, 2]);
  });

  it('shares the budget between two limiters on the same key prefix', async () => {
    const clock = fakeClock();
    const keyPrefix = `test:limiter:${randomUUID()}`;
    const options = { storeClient: redis, keyPrefix, limits: { DescribeClusters: 2 }, ...clock };
    const a = createSharedActionLimiter(options);
    const b = createSharedActionLimiter(options);
    await a.acquire('DescribeClusters');
    await b.acquire('DescribeClusters');
    expect(clock.now()).toBe(clock.start);
    await b.acquire('DescribeClusters');
    expect(clock.now()).toBe(clock.start + 1000);
  });

  it('starts a call in the last 100 ms of a second at once, counted in that second and the next', async () => {
    const clock = fakeClock();
    clock.set(clock.start + 950);
    const gate = limiter(clock, { DescribeAddon: 2 });
    await gate.acquire('DescribeAddon');
    expect(clock.now()).toBe(clock.start + 950);
    // The next second has one slot left: the edge call took the other, wherever the cloud counts it.
    clock.set(clock.start + 1000);
    await gate.acquire('DescribeAddon');
    expect(clock.now()).toBe(clock.start + 1000);
    await gate.acquire('DescribeAddon');
    expect(clock.now()).toBe(clock.start + 2000);
  });

  it('sends a call from the end of a second to a later second when the next one is full', async () => {
    const clock = fakeClock();
    const gate = limiter(clock, { DescribeAddon: 2 });
    clock.set(clock.start + 1000);
    await gate.acquire('DescribeAddon');
    await gate.acquire('DescribeAddon');
    // Second 0 has room, second 1 has none: a call at 0.95 s could land in either, so it waits.
    clock.set(clock.start + 950);
    await gate.acquire('DescribeAddon');
    expect(clock.now()).toBe(clock.start + 2000);
  });

  it('fails with a retryable CLOUD_THROTTLED when no slot is free within maxWaitMs', async () => {
    const clock = fakeClock();
    const gate = limiter(clock, { DeleteSecurityGroup: 1 }, 1500);
    // Three callers at once: slots in this second and the next, the third would wait 2 s.
    const results = await Promise.allSettled([1, 2, 3].map(() => gate.acquire('DeleteSecurityGroup')));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const error = (results[2] as PromiseRejectedResult).reason as unknown;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CLOUD_THROTTLED', retryable: true });
    expect((error as AppError).details).toMatchObject({ action: 'DeleteSecurityGroup', limitPerSecond: 1 });
  });

  it('uses the documented limits for known actions and 20/s for unknown ones', () => {
    const gate = limiter(fakeClock(), { DescribeClusters: 5 });
    expect(gate.limitOf('DescribeClusters')).toBe(5);
    expect(gate.limitOf('DescribeSecurityGroups')).toBe(100);
    expect(gate.limitOf('DescribeSecurityGroupLimits')).toBe(20);
    expect(gate.limitOf('SomeFutureAction')).toBe(20);
  });

  it('reports an unreachable Redis as a retryable NETWORK error', async () => {
    const dead = new Redis({
      host: '127.0.0.1',
      port: 1,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const gate = createSharedActionLimiter({ storeClient: dead, keyPrefix: `test:limiter:${randomUUID()}` });
    const error = await gate.acquire('DescribeClusters').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    dead.disconnect();
  });
});
