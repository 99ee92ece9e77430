import { describe, expect, it } from 'vitest';
import {
  refreshingCredential,
  type TemporaryKeys,
} from '../../../../adapters/tencentcloud/refreshing-credential.ts';

/** An STS stand-in on a fake clock: each exchange answers keys `n` valid for `lifetimeMs`, or fails when told to. */
function sts(lifetimeMs: number) {
  const state = { now: 0, exchanges: 0, failing: false };
  const exchange = async (): Promise<TemporaryKeys> => {
    await Promise.resolve();
    state.exchanges += 1;
    if (state.failing) throw new Error('STS refused');
    return {
      secretId: `AKID${state.exchanges}`,
      secretKey: `key${state.exchanges}`,
      token: `token${state.exchanges}`,
      expiresAtMs: state.now + lifetimeMs,
    };
  };
  return { state, exchange };
}

describe('temporary credentials that renew themselves', () => {
  it('keep one answer until 5 minutes before it expires, then ask again', async () => {
    const { state, exchange } = sts(2 * 3600_000);
    const credential = refreshingCredential(exchange, { now: () => state.now });
    expect(await credential.getCredential()).toEqual({
      secretId: 'AKID1',
      secretKey: 'key1',
      token: 'token1',
    });
    state.now = 2 * 3600_000 - 5 * 60_000 - 1;
    expect((await credential.getCredential()).secretId).toBe('AKID1');
    state.now += 1;
    expect((await credential.getCredential()).secretId).toBe('AKID2');
    expect(state.exchanges).toBe(2);
  });

  it('renew short lifetimes halfway through', async () => {
    const { state, exchange } = sts(4_000);
    const credential = refreshingCredential(exchange, { now: () => state.now });
    await credential.getCredential();
    state.now = 1_999;
    expect((await credential.getCredential()).secretId).toBe('AKID1');
    state.now = 2_000;
    expect((await credential.getCredential()).secretId).toBe('AKID2');
  });

  it('make concurrent callers share one exchange', async () => {
    const { state, exchange } = sts(3600_000);
    const credential = refreshingCredential(exchange, { now: () => state.now });
    const answers = await Promise.all([1, 2, 3, 4].map(() => credential.getCredential()));
    expect(new Set(answers.map((a) => a.secretId))).toEqual(new Set(['AKID1']));
    expect(state.exchanges).toBe(1);
  });

  it('do not remember a failed exchange: the next call asks again', async () => {
    const { state, exchange } = sts(3600_000);
    const credential = refreshingCredential(exchange, { now: () => state.now });
    state.failing = true;
    await expect(credential.getCredential()).rejects.toThrow('STS refused');
    state.failing = false;
    expect((await credential.getCredential()).secretId).toBe('AKID2');
  });

  it('keep keys that still work when an early renewal fails, and fail once they no longer would', async () => {
    const { state, exchange } = sts(3600_000);
    const credential = refreshingCredential(exchange, { now: () => state.now });
    await credential.getCredential();
    state.failing = true;
    state.now = 3600_000 - 60_000;
    expect((await credential.getCredential()).secretId).toBe('AKID1');
    state.now = 3600_000 - 30_000;
    await expect(credential.getCredential()).rejects.toThrow('STS refused');
  });
});
