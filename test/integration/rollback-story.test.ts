import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterId, credentials, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { superNodeDeployment } from '../helpers/super-node-deployment.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { createLocalGroupWriteLock } from '../../src/engine/local-group-write-lock.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import { createTencentCloudNetwork } from '../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createKubernetesCluster, kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { rollBack } from '../../workflows/grant/steps/roll-back.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { sandboxGrantSettings } from '../helpers/grant-settings.ts';

/**
 * The rollback acceptance of issue 7: a grant that fails at recreatePods, then `rollback`. The
 * cloud is read through the emulator's state before and after; the cluster through client-node.
 */
describe('rolling back a grant that failed while recreating pods', () => {
  let world: TestWorld;
  let requestId = '';
  let podGroupId = '';
  let before: unknown;
  let podsBefore: string[] = [];
  const app = 'stuck';

  /** Groups and their rules as they matter: the rule-set version and modify times move with any write. */
  const cloudState = () =>
    world.emulator
      .state()
      .securityGroups.map((g) => ({
        id: g.id,
        name: g.name,
        description: g.description,
        tags: g.tags,
        ingress: g.ingress.map(({ ModifyTime: _m, ...r }) => r),
        egress: g.egress.map(({ ModifyTime: _m, ...r }) => r),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));

  const pods = async () =>
    (await world.kube.core.listNamespacedPod({ namespace: 'my-namespace', labelSelector: `app=${app}` }))
      .items;

  beforeAll(async () => {
    world = await startTestWorld('rollback-story', {
      workflow: { stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000, rolloutWaitMs: 5_000 },
    });
    // A pre-existing group that names the cluster group: shared, and none of the request's business.
    const clusterGroup = world.emulator
      .state()
      .securityGroups.find((g) => g.name === `tke-worker-security-for-${clusterId}`)!;
    const db = await world.vpc.CreateSecurityGroup({
      GroupName: 'team-db',
      GroupDescription: 'the team database',
    });
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: db.SecurityGroup!.SecurityGroupId!,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '3306', SecurityGroupId: clusterGroup.id, Action: 'ACCEPT' }],
      },
    });
    world.simulator.create(
      'deployments',
      'my-namespace',
      superNodeDeployment({ app, replicas: 2, maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 2 }),
    );
    const deadline = Date.now() + 30_000;
    while (
      (await pods()).filter((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      ).length < 2
    ) {
      if (Date.now() > deadline) throw new Error('the deployment never became available');
      await new Promise((r) => setTimeout(r, 50));
    }
    podsBefore = (await pods()).map((p) => p.metadata!.name!);
    before = cloudState();
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('fails at recreatePods when the new pods never get Ready, having made its group, rules and policy', async () => {
    world.simulator.configureKubelet({ neverReady: `app=${app}` });
    const opened = await world.say('alice', `grant pod SG to app ${app} in my-namespace`);
    requestId = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === requestId && m.kind === 'plan');
    await world.app.console.say('bob', `approve ${requestId}`);
    const end = await world.waitFor('alice', (m) => m.requestId === requestId && m.kind === 'error', 45_000);
    expect(end.state).toBe('failed');
    expect(end.text).toContain('stopped progressing');
    const view = await world.app.engine.read(requestId);
    expect((view!.context as GrantContext).failedStep).toBe('recreatePods');

    podGroupId = (view!.context as GrantContext).outputs.ensurePodSecurityGroup!.podGroupId;
    expect(cloudState()).not.toEqual(before);
    const carrying = (await pods()).filter(
      (p) => p.metadata!.annotations?.[securityGroupAnnotation] === podGroupId,
    );
    expect(carrying.length).toBeGreaterThan(0);
  });

  it('on rollback puts the cloud back exactly as it was, removes the policy and leaves no pod with the group', async () => {
    // The new pods were stuck because of the group (as a too-tight group does); without it they start.
    world.simulator.configureKubelet({ neverReady: null });
    // `rollback <id>` as chat would deliver it: the grant machine takes it from failed.
    await world.app.engine.deliver(requestId, {
      type: 'rollback',
      by: 'alice',
      at: new Date().toISOString(),
    });
    const end = await world.waitFor('alice', (m) => m.requestId === requestId && m.kind === 'result', 45_000);
    expect(end.state).toBe('rolledBack');
    expect(end.text).toContain(`deleted security group ${podGroupId}`);
    expect(end.text).toContain('deleted SecurityGroupPolicy my-namespace/sgops-stuck');

    expect(cloudState()).toEqual(before);
    const { SecurityGroupSet } = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['team-db'] }],
    });
    expect(SecurityGroupSet).toHaveLength(1);

    const policies = (await world.kube.custom.listNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
    })) as { items: { metadata: { name: string; labels?: Record<string, string> } }[] };
    expect(
      policies.items.filter((p) => p.metadata.labels?.['app.kubernetes.io/managed-by'] === 'sgops'),
    ).toEqual([]);

    const now = await pods();
    expect(now).toHaveLength(2);
    for (const pod of now) {
      expect(podsBefore).not.toContain(pod.metadata!.name);
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
      expect(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).toBe(true);
    }
  });

  it('changes nothing more when the rollback step runs again', async () => {
    const view = await world.app.engine.read(requestId);
    const ports = {
      cloud: createTencentCloudNetwork({ ...credentials, region: 'ap-guangzhou', endpoint: world.cloudUrl }),
      cluster: createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: world.kubeUrl }) }),
      groupWrites: createLocalGroupWriteLock(),
      clock: systemClock,
      settings: sandboxGrantSettings({ pollDelayMs: 100, rolloutWaitMs: 5_000 }),
    };
    world.emulator.resetCalls();
    world.simulator.resetCalls();
    const again = await rollBack(view!.context as GrantContext, ports);
    expect(again.status).toBe('done');
    const writes = Object.entries(world.emulator.calls()).filter(([action]) => cloudWriteActions.has(action));
    expect(writes).toEqual([]);
    const kubeWrites = Object.keys(world.simulator.calls()).filter((a) =>
      /^(create|update|patch|delete) /.test(a),
    );
    expect(kubeWrites).toEqual([]);
    expect(cloudState()).toEqual(before);
  });
});
