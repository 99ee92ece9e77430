import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLocalGroupWriteLock } from '../../../src/engine/local-group-write-lock.ts';
import { AppError } from '../../../src/errors.ts';

describe('writes into a group within one process', () => {
  it('run one at a time per group, in the order they asked, while other groups go on', async () => {
    const lock = createLocalGroupWriteLock();
    const log: string[] = [];
    const write = (group: string, name: string, ms: number) =>
      lock.serialise(group, async () => {
        log.push(`${name} in`);
        await sleep(ms);
        log.push(`${name} out`);
      });
    await Promise.all([
      write('sg-a', 'a1', 30),
      write('sg-a', 'a2', 1),
      write('sg-b', 'b1', 5),
      write('sg-a', 'a3', 1),
    ]);
    expect(log).toEqual(['a1 in', 'b1 in', 'b1 out', 'a1 out', 'a2 in', 'a2 out', 'a3 in', 'a3 out']);
  });

  it('give the turn back when a write fails, and the failure reaches its caller', async () => {
    const lock = createLocalGroupWriteLock();
    const failing = lock.serialise('sg-a', async () => {
      throw new AppError('CLOUD_INTERNAL', 'boom');
    });
    await expect(failing).rejects.toMatchObject({ code: 'CLOUD_INTERNAL' });
    await expect(lock.serialise('sg-a', async () => 'next')).resolves.toBe('next');
  });

  it('stop a waiter whose worker stops, or that waited past the bound, with GROUP_WRITE_BUSY', async () => {
    const lock = createLocalGroupWriteLock({ maxWaitMs: 100 });
    let release!: () => void;
    const holding = lock.serialise('sg-a', () => new Promise<void>((r) => (release = r)));
    const stop = new AbortController();
    const stopped = lock.serialise('sg-a', async () => 'ran', stop.signal);
    stop.abort();
    const timedOut = lock.serialise('sg-a', async () => 'ran');
    const reasons = await Promise.all(
      [stopped, timedOut].map((p) =>
        p.then(
          () => 'ran',
          (e: AppError) => `${e.code} ${String(e.details['reason'])} ${e.retryable}`,
        ),
      ),
    );
    expect(reasons).toEqual(['GROUP_WRITE_BUSY stopping true', 'GROUP_WRITE_BUSY timeout true']);
    release();
    await holding;
    await expect(lock.serialise('sg-a', async () => 'free')).resolves.toBe('free');
  });
});
