import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { watchPodChanges } from '../../../src/app/watch-pod-changes.ts';
import type { PodChange, PodInfo } from '../../../src/ports/cluster.ts';

function pod(name: string, over: Partial<PodInfo> = {}): PodInfo {
  return {
    name,
    namespace: 'ns',
    uid: name,
    labels: { app: 'my-app' },
    annotations: {},
    serviceAccountName: 'default',
    nodeName: '10.0.0.1',
    phase: 'Running',
    ready: true,
    createdAt: '2026-12-07T00:00:00Z',
    owners: [],
    securityGroupIds: [],
    ...over,
  };
}

/** A watch that tells what the test says; the sweeps and store reads it caused, counted. */
function start() {
  let tell: (c: PodChange) => void = () => {};
  const counts = { sweeps: 0, reads: 0 };
  const stop = new AbortController();
  const done = watchPodChanges(
    {
      clusterIds: ['cls-a'],
      clusterFor: () =>
        Promise.resolve({
          watchPods(onChange: (c: PodChange) => void, signal: AbortSignal) {
            tell = onChange;
            return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
          },
        }),
      grantedTargets: () => {
        counts.reads += 1;
        return Promise.resolve([
          {
            clusterId: 'cls-a',
            namespace: 'ns',
            spec: { target: { kind: 'app', app: 'my-app' }, podSelector: { app: 'my-app' } },
          },
        ]);
      },
      sweepSoon: () => {
        counts.sweeps += 1;
        return Promise.resolve();
      },
      logger: pino({ level: 'silent' }),
    },
    stop.signal,
  );
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return {
    counts,
    tell: async (c: PodChange) => {
      await settle();
      tell(c);
      await settle();
    },
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

describe('the pod watch of the drift watch', () => {
  it('asks for a sweep when a granted pod starts to run without a group, and when it goes away', async () => {
    const w = start();
    await w.tell({ type: 'ADDED', pod: pod('a', { nodeName: null, phase: 'Pending' }) });
    expect(w.counts.sweeps).toBe(0);
    await w.tell({ type: 'MODIFIED', pod: pod('a') });
    expect(w.counts.sweeps).toBe(1);
    // Readiness and restarts change nothing the drift watch cares about.
    await w.tell({ type: 'MODIFIED', pod: pod('a', { ready: false }) });
    expect(w.counts.sweeps).toBe(1);
    await w.tell({ type: 'DELETED', pod: pod('a') });
    expect(w.counts.sweeps).toBe(2);
    await w.stop();
  });

  it('asks nothing for pods that carry groups, pods of other apps, or finished pods', async () => {
    const w = start();
    await w.tell({ type: 'ADDED', pod: pod('b', { securityGroupIds: ['sg-abcd1234'] }) });
    await w.tell({ type: 'ADDED', pod: pod('c', { labels: { app: 'other' } }) });
    await w.tell({ type: 'ADDED', pod: pod('d', { phase: 'Succeeded' }) });
    await w.tell({ type: 'ADDED', pod: pod('e', { terminating: true }) });
    expect(w.counts.sweeps).toBe(0);
    // Only the pod of another app that changed was worth a look at the grants.
    expect(w.counts.reads).toBe(1);
    await w.stop();
  });
});
