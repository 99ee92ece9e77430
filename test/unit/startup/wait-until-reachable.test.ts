import { describe, expect, it } from 'vitest';
import { waitUntilReachable } from '../../../src/startup/wait-until-reachable.ts';
import type { Waiting } from '../../../src/startup/wait-until-reachable.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const isOutage = (e: unknown) => (e as { code?: string }).code === 'ECONNREFUSED';

describe('waitUntilReachable', () => {
  it('tries again after each outage, saying so with a growing pause, until it answers', async () => {
    const waits: Waiting[] = [];
    let tries = 0;
    const answer = await waitUntilReachable(
      async () => {
        if (++tries < 3) throw refused();
        return 'up';
      },
      { isOutage, onWaiting: (w) => waits.push(w), maxDelayMs: 600 },
    );
    expect(answer).toBe('up');
    expect(waits.map((w) => [w.attempt, w.retryInMs, w.error.message])).toEqual([
      [1, 500, 'connect ECONNREFUSED'],
      [2, 600, 'connect ECONNREFUSED'],
    ]);
  });

  it('fails at once on a refusal that is no outage', async () => {
    const waits: Waiting[] = [];
    await expect(
      waitUntilReachable(() => Promise.reject(new Error('password authentication failed')), {
        isOutage,
        onWaiting: (w) => waits.push(w),
      }),
    ).rejects.toThrow('password authentication failed');
    expect(waits).toEqual([]);
  });

  it('gives up with the last error once its patience is spent, trying once more as it runs out', async () => {
    let tries = 0;
    const started = Date.now();
    await expect(
      waitUntilReachable(
        () => {
          tries++;
          return Promise.reject(refused());
        },
        { isOutage, giveUpAfterMs: 700 },
      ),
    ).rejects.toThrow('ECONNREFUSED');
    // At 0 and 0.5 s, then at 0.7 s rather than 1.5 s.
    expect(tries).toBe(3);
    expect(Date.now() - started).toBeLessThan(1200);
  });
});
