import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterId, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ClusterPatch } from '../../adapters/tencentcloud/emulator/index.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';

/**
 * The seed's restrictions, each made to fail in the emulator: the request ends before approval,
 * the message names the problem and its fix, and nothing is written anywhere.
 */
describe('a grant on a cluster that cannot use pod security groups', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startTestWorld('grant-restrictions');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const healthy: ClusterPatch = {
    version: '1.26.1',
    isDualStack: false,
    addons: [{ name: 'securitygrouppolicy', phase: 'Succeeded', reason: '' }],
  };
  let nodes: NonNullable<ClusterPatch['virtualNodes']> = [];

  beforeEach(() => {
    nodes =
      nodes.length > 0 ? nodes : world.emulator.clusters.all()[0]!.virtualNodePools.flatMap((p) => p.nodes);
    world.emulator.clusters.patch(clusterId, { ...healthy, virtualNodes: nodes });
    world.emulator.resetCalls();
  });

  const cases: { name: string; patch: ClusterPatch; problem: string; fix: string }[] = [
    {
      name: 'Kubernetes older than 1.20',
      patch: { version: '1.18.4' },
      problem: 'Kubernetes 1.18.4 is older than 1.20',
      fix: 'upgrade the cluster to 1.20 or later',
    },
    {
      name: 'a dual-stack cluster',
      patch: { isDualStack: true },
      problem: 'the cluster is dual-stack',
      fix: 'use a single-stack cluster',
    },
    {
      name: 'the add-on missing',
      patch: { addons: [{ name: 'securitygrouppolicy', phase: null }] },
      problem: 'the securitygrouppolicy add-on is not installed',
      fix: 'Add-on management → Create → SecurityGroupPolicy',
    },
    {
      name: 'the add-on failed',
      patch: {
        addons: [{ name: 'securitygrouppolicy', phase: 'InstallFailed', reason: 'ImagePullBackOff' }],
      },
      problem: 'the securitygrouppolicy add-on is InstallFailed (ImagePullBackOff)',
      fix: 'wait for or repair it',
    },
    {
      name: 'no super nodes',
      patch: { virtualNodes: [] },
      problem: 'the cluster has no super nodes',
      fix: 'add a super node pool',
    },
  ];

  for (const c of cases) {
    it(`ends before approval with ${c.name}, naming the problem and its fix, and writes nothing`, async () => {
      world.emulator.clusters.patch(clusterId, c.patch);
      const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
      const failed = await world.waitFor(
        'alice',
        (m) => m.requestId === opened.requestId && m.kind === 'error',
      );
      expect(failed.state).toBe('failed');
      expect(failed.text).toContain(c.problem);
      expect(failed.text).toContain(c.fix);
      const calls = world.emulator.calls();
      const writes = Object.entries(calls).filter(([action, n]) => cloudWriteActions.has(action) && n > 0);
      expect(writes).toEqual([]);
      const policies = await world.kube.custom.listNamespacedCustomObject({
        group: 'vpcresources.tke.cloud.tencent.com',
        version: 'v1beta1',
        namespace: 'my-namespace',
        plural: 'securitygrouppolicies',
      });
      expect((policies as { items: unknown[] }).items).toEqual([]);
      expect(
        await world.waitFor('bob', (m) => m.requestId === opened.requestId, 500).catch(() => null),
      ).toBeNull();
    });
  }
});

describe('a grant that would not fit the security group quota', () => {
  let world: TestWorld;

  beforeAll(async () => {
    // The seeded world has two groups (the cluster group and orders-db): the region is full.
    world = await startTestWorld('grant-quota', {}, { emulator: { quotas: { groupsPerRegion: 2 } } });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('ends before approval, naming the quota and what to do, and writes nothing', async () => {
    world.emulator.resetCalls();
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const failed = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && m.kind === 'error',
    );
    expect(failed.state).toBe('failed');
    expect(failed.text).toContain('the region already has 2 of its 2 security groups');
    expect(failed.text).toContain('DescribeSecurityGroupLimits');
    const writes = Object.entries(world.emulator.calls()).filter(
      ([action, n]) => cloudWriteActions.has(action) && n > 0,
    );
    expect(writes).toEqual([]);
  });
});
