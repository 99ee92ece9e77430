import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { watchPolicyChanges } from '../../../src/app/watch-policy-changes.ts';
import type { PolicyWatchDeps } from '../../../src/app/watch-policy-changes.ts';
import { AppError } from '../../../src/errors.ts';
import type { SecurityGroupPolicyChange } from '../../../src/ports/cluster.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cluster whose watch tells what the test says, or fails as the test says. */
function fakeCluster() {
  let tell: ((c: SecurityGroupPolicyChange) => void) | null = null;
  const failures: AppError[] = [];
  let attempts = 0;
  return {
    get attempts() {
      return attempts;
    },
    failWith(...errors: AppError[]) {
      failures.push(...errors);
    },
    tell(change: SecurityGroupPolicyChange) {
      tell?.(change);
    },
    cluster: {
      watchSecurityGroupPolicies(onChange: (c: SecurityGroupPolicyChange) => void, signal: AbortSignal) {
        attempts += 1;
        const failure = failures.shift();
        if (failure) return Promise.reject(failure);
        tell = onChange;
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      },
    },
  };
}

function start(fake: ReturnType<typeof fakeCluster>, owned: string[] = []) {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  let sweeps = 0;
  let ownedReads = 0;
  const deps: PolicyWatchDeps = {
    clusterIds: ['cls-a'],
    clusterFor: () => Promise.resolve(fake.cluster),
    ownedPolicies: () => {
      ownedReads += 1;
      return Promise.resolve(new Set(owned));
    },
    sweepSoon: () => {
      sweeps += 1;
      return Promise.resolve();
    },
    logger,
    retry: { firstMs: 20, maxMs: 80 },
  };
  const stop = new AbortController();
  const done = watchPolicyChanges(deps, stop.signal);
  return {
    lines,
    done,
    stop: () => stop.abort(),
    get sweeps() {
      return sweeps;
    },
    get ownedReads() {
      return ownedReads;
    },
  };
}

describe('watching policy changes for the drift watch', () => {
  it('asks for a sweep on any deletion, and on a change only to a policy a grant owns', async () => {
    const fake = fakeCluster();
    const w = start(fake, ['cls-a/my-namespace/sgops-my-app']);
    await expect.poll(() => fake.attempts).toBe(1);
    fake.tell({ type: 'MODIFIED', namespace: 'my-namespace', name: 'someone-elses' });
    await wait(10);
    expect(w.sweeps).toBe(0);
    fake.tell({ type: 'DELETED', namespace: 'my-namespace', name: 'someone-elses' });
    expect(w.sweeps).toBe(1);
    fake.tell({ type: 'MODIFIED', namespace: 'my-namespace', name: 'sgops-my-app' });
    await expect.poll(() => w.sweeps).toBe(2);
    w.stop();
    await w.done;
  });

  it('reads the grants in force once for a burst of changes, not once per change', async () => {
    const fake = fakeCluster();
    const w = start(fake, ['cls-a/my-namespace/sgops-my-app']);
    await expect.poll(() => fake.attempts).toBe(1);
    for (let i = 0; i < 50; i += 1) fake.tell({ type: 'ADDED', namespace: 'my-namespace', name: `p-${i}` });
    fake.tell({ type: 'ADDED', namespace: 'my-namespace', name: 'sgops-my-app' });
    await expect.poll(() => w.sweeps).toBe(1);
    expect(w.ownedReads).toBeLessThanOrEqual(2);
    w.stop();
    await w.done;
  });

  it('watches again after a failure with a growing pause, logging each kind of failure once', async () => {
    const fake = fakeCluster();
    const network = () =>
      new AppError('NETWORK', 'watch securitygrouppolicies: cannot reach the Kubernetes API');
    fake.failWith(network(), network(), network(), new AppError('K8S_FORBIDDEN', 'no'), network());
    const w = start(fake);
    // Pauses of 20, 40, 80, 80, 80 ms: the sixth attempt holds.
    await expect.poll(() => fake.attempts, { timeout: 2_000 }).toBe(6);
    const warnings = w.lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(2);
    await wait(200);
    expect(fake.attempts).toBe(6);
    // Heard again: the next failure of a kind already logged is logged anew.
    fake.tell({ type: 'ADDED', namespace: 'ns', name: 'p' });
    expect(w.lines.some((l) => /hears the cluster’s policies again/.test(l.msg))).toBe(true);
    w.stop();
    await w.done;
  });

  it('ends at once when stopped during a pause', async () => {
    const fake = fakeCluster();
    fake.failWith(new AppError('NETWORK', 'down'));
    const w = start(fake);
    await expect.poll(() => fake.attempts).toBe(1);
    w.stop();
    await w.done;
    await wait(100);
    expect(fake.attempts).toBe(1);
  });
});
