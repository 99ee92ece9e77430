import { describe, expect, it } from 'vitest';
import type { Cluster, NodeInfo, PodInfo } from '../../../src/ports/cluster.ts';
import { groupIdsOf, livePodsReader, phaseOfPod } from '../../../src/console/live-pods.ts';

const pod = (name: string, over: Partial<PodInfo> = {}): PodInfo => ({
  name,
  namespace: 'my-namespace',
  uid: name,
  labels: { app: 'my-app' },
  annotations: {},
  serviceAccountName: 'default',
  nodeName: 'eklet-1',
  phase: 'Running',
  ready: true,
  createdAt: '2026-01-01T00:00:00Z',
  owners: [],
  securityGroupIds: [],
  ...over,
});

const node = (name: string, superNode: boolean): NodeInfo => ({ name, labels: {}, taints: [], superNode });

/** A cluster that answers `pods` and counts each read. */
function countingCluster(pods: PodInfo[]) {
  const calls = { listPods: [] as string[][], listNodes: 0 };
  const cluster = {
    listPods: async (...args: string[]) => {
      calls.listPods.push(args);
      return pods;
    },
    listNodes: async () => {
      calls.listNodes += 1;
      return [node('eklet-1', true), node('normal-1', false)];
    },
  } as unknown as Cluster;
  return { cluster, calls };
}

const grantContext = {
  spec: { namespace: 'my-namespace', target: { kind: 'app', app: 'my-app' }, podSelector: { app: 'my-app' } },
  outputs: { ensurePodSecurityGroup: { podGroupId: 'sg-pod' } },
};

describe('the pods of a request while they restart', () => {
  it('names where each pod is in its restart', () => {
    expect(phaseOfPod(pod('a', { terminating: true }))).toBe('terminating');
    expect(phaseOfPod(pod('a', { phase: 'Pending', ready: false }))).toBe('pending');
    expect(phaseOfPod(pod('a', { phase: 'Running', ready: false }))).toBe('starting');
    expect(phaseOfPod(pod('a'))).toBe('running');
    expect(phaseOfPod(pod('a', { phase: 'Failed', ready: false }))).toBe('failed');
  });

  it('knows a grant’s groups from its group step and a revoke’s from its plan', () => {
    expect(groupIdsOf(grantContext)).toEqual(['sg-pod']);
    expect(
      groupIdsOf({
        outputs: { planning: { podGroupId: 'sg-pod', policy: { groupIds: ['sg-pod', 'sg-db'] } } },
      }),
    ).toEqual(['sg-pod', 'sg-db']);
    expect(groupIdsOf(null)).toEqual([]);
  });

  it('lists the pods once per look, oldest first, each with its node, super node and group', async () => {
    const { cluster, calls } = countingCluster([
      pod('new', {
        createdAt: '2026-01-01T00:01:00Z',
        phase: 'Pending',
        ready: false,
        securityGroupIds: ['sg-pod'],
      }),
      pod('old', { nodeName: 'normal-1' }),
    ]);
    const actors: string[] = [];
    const livePods = livePodsReader(async (actor) => {
      actors.push(actor);
      return cluster;
    });

    const pods = await livePods('bob', 'cls-1', 'recreatePods', grantContext);
    expect(pods).toEqual([
      {
        name: 'old',
        node: 'normal-1',
        superNode: false,
        phase: 'running',
        groups: [],
        withGroup: false,
        createdAt: '2026-01-01T00:00:00Z',
      },
      {
        name: 'new',
        node: 'eklet-1',
        superNode: true,
        phase: 'pending',
        groups: ['sg-pod'],
        withGroup: true,
        createdAt: '2026-01-01T00:01:00Z',
      },
    ]);
    expect(calls.listPods).toEqual([['my-namespace', 'app=my-app']]);
    expect(actors).toEqual(['bob']);

    // A second look lists the pods again but not the nodes, which hardly move.
    await livePods('bob', 'cls-1', 'verifying', grantContext);
    expect(calls.listPods).toHaveLength(2);
    expect(calls.listNodes).toBe(1);
  });

  it('reads nothing for a request in any other state', async () => {
    const { cluster, calls } = countingCluster([pod('a')]);
    const livePods = livePodsReader(async () => cluster);
    for (const state of ['awaitingApproval', 'applyPolicy', 'done', 'failed'])
      expect(await livePods('bob', 'cls-1', state, grantContext)).toBeNull();
    expect(calls.listPods).toEqual([]);
  });

  it('selects a service account’s pods by the field its pods carry', async () => {
    const { cluster, calls } = countingCluster([]);
    const livePods = livePodsReader(async () => cluster);
    const context = {
      spec: {
        namespace: 'my-namespace',
        target: { kind: 'serviceAccount', serviceAccount: 'api' },
        podSelector: {},
      },
    };
    expect(await livePods('bob', 'cls-1', 'recreatePods', context)).toEqual([]);
    expect(calls.listPods).toEqual([['my-namespace', '', 'spec.serviceAccountName=api']]);
  });
});
