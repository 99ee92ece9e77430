import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import type { EmulatorStateView } from '../../adapters/tencentcloud/emulator/index.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import { startMultiClusterWorld } from '../helpers/multi-cluster-world.ts';
import type { MultiClusterWorld, WorldCluster } from '../helpers/multi-cluster-world.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';

/**
 * One sgops serving two TKE clusters, each in its own Tencent Cloud account and region: every
 * request reaches only its own cluster's cloud (signed with that account's keys, in that region)
 * and its own API server, which the stand-ins' call logs and state prove. The second cluster's
 * kubeconfig comes from TKE (DescribeClusterKubeconfig), asked as its account on first use.
 */
const east = {
  id: 'cls-aaaaaaaa',
  account: 'east',
  region: 'ap-guangzhou',
  secretId: 'AKIDeastACCOUNT000000001',
  secretKey: 'east-secret-key-never-logged',
  idSeed: 1,
};
const north = {
  id: 'cls-bbbbbbbb',
  account: 'north',
  region: 'ap-beijing',
  secretId: 'AKIDnorthACCOUNT00000002',
  secretKey: 'north-secret-key-never-logged',
  idSeed: 2,
  fromCloud: true,
};
const podGroupName = 'sgops-my-namespace-my-app';

describe('one sgops serving two clusters in two accounts and regions', () => {
  let world: MultiClusterWorld;
  const cluster = (id: string): WorldCluster => world.clusters[id]!;

  beforeAll(async () => {
    world = await startMultiClusterWorld('multi-cluster', [east, north]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  async function resetAllCalls() {
    await Promise.all(Object.values(world.clusters).map((c) => c.resetCalls()));
  }

  /** Asks for my-app's pod group on a cluster, bob approves, and the request ends. */
  async function grantOn(clusterId: string): Promise<{ requestId: string; state: string | undefined }> {
    const opened = await world.say('alice', `grant pod SG to app my-app in my-namespace on ${clusterId}`);
    expect(opened.kind, opened.text).toBe('reply');
    const requestId = opened.requestId!;
    await world.waitFor('bob', (m) => m.requestId === requestId && m.kind === 'approval');
    await world.app.console.say('bob', `approve ${requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result',
      60_000,
    );
    return { requestId, state: result.state };
  }

  async function podGroupsOf(c: WorldCluster): Promise<string[]> {
    const core = kubeConfigFor({ server: c.kubeUrl }).makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'my-namespace', labelSelector: 'app=my-app' });
    return pods.items.map((p) => p.metadata?.annotations?.[securityGroupAnnotation] ?? '');
  }

  const groupNamed = (c: WorldCluster, name: string) =>
    c.emulator.state().securityGroups.find((g) => g.name === name);

  /** The one cluster the grant must have changed, and the other it must not have touched. */
  async function expectOnly(
    changed: WorldCluster,
    untouched: WorldCluster,
    untouchedBefore: EmulatorStateView,
    requestId: string,
  ) {
    // Every cloud call reached the cluster's own cloud, signed with its own account's keys.
    const signed = changed.emulator.signedCalls();
    expect(signed.map((c) => c.action)).toEqual(expect.arrayContaining(['CreateSecurityGroup']));
    expect(new Set(signed.map((c) => c.secretId))).toEqual(new Set([changed.secretId]));
    expect(untouched.emulator.calls()).toEqual({});
    // The pod group is made in that account's region; the other cloud is as it was.
    const group = groupNamed(changed, podGroupName);
    expect(group?.region).toBe(changed.region);
    expect(group?.description).toContain(changed.id);
    expect(untouched.emulator.state()).toEqual(untouchedBefore);
    // The plan's tccli lines name that cluster's region, not the first cluster's or a profile's.
    const plan = ((await world.app.engine.read(requestId))!.context as GrantContext).outputs.planning!;
    const tccli = plan.changes.filter((c) => c.system === 'tencentcloud').map((c) => c.command);
    expect(tccli).toHaveLength(4);
    for (const line of tccli) expect(line).toContain(`--region ${changed.region} `);
    // Kubernetes requests went to its own API server alone (read before this test reads the pods).
    const kube = await changed.kubeCalls();
    expect(kube['create securitygrouppolicies']).toBeGreaterThan(0);
    expect(kube['patch deployments']).toBeGreaterThan(0);
    expect(await untouched.kubeCalls()).toEqual({});
    expect(await podGroupsOf(changed)).toEqual(expect.arrayContaining([expect.stringContaining(group!.id)]));
    for (const groups of await podGroupsOf(untouched)) expect(groups).not.toContain(group!.id);
    // Every audited call of the request names its cluster.
    const calls = (await world.app.store.listAudit({ requestId })).filter(
      (r) => r.system === 'tencentcloud' || r.system === 'kubernetes',
    );
    expect(calls.length).toBeGreaterThan(10);
    for (const row of calls) expect(row.details['clusterId'], `${row.action} ${row.kind}`).toBe(changed.id);
  }

  it('grants on cls-aaaaaaaa through the east account in ap-guangzhou, touching nothing of cls-bbbbbbbb', async () => {
    await resetAllCalls();
    const before = cluster(north.id).emulator.state();
    const { requestId, state } = await grantOn(east.id);
    expect(state).toBe('done');
    await expectOnly(cluster(east.id), cluster(north.id), before, requestId);
  });

  it('grants on cls-bbbbbbbb through the north account in ap-beijing, its kubeconfig from TKE, touching nothing of cls-aaaaaaaa', async () => {
    await resetAllCalls();
    const before = cluster(east.id).emulator.state();
    const { requestId, state } = await grantOn(north.id);
    expect(state).toBe('done');
    await expectOnly(cluster(north.id), cluster(east.id), before, requestId);
    // The kubeconfig was asked once, as the north account, and that call is in the trail too.
    expect(cluster(north.id).emulator.calls()['DescribeClusterKubeconfig']).toBe(1);
    const asked = (await world.app.store.listAudit({})).filter(
      (r) => r.action === 'DescribeClusterKubeconfig',
    );
    expect(asked.map((r) => [r.kind, r.outcome, r.details['clusterId']])).toEqual([
      ['intent', null, north.id],
      ['outcome', 'ok', north.id],
    ]);
  });

  it('refuses a cluster it does not serve, naming the ones it does, in English and Chinese, before anything is opened', async () => {
    await resetAllCalls();
    const before = (await world.app.store.listRequests({ limit: 100 })).length;
    const en = await world.say('alice', 'grant pod SG to app my-app in my-namespace on cls-unknown1');
    expect(en.kind).toBe('error');
    expect(en.requestId).toBeUndefined();
    expect(en.text).toContain('cls-unknown1');
    expect(en.text).toContain('cls-aaaaaaaa, cls-bbbbbbbb');
    const zh = await world.say(
      'alice',
      '授权 Pod 安全组 给 应用 my-app 在 命名空间 my-namespace 集群 cls-unknown1',
    );
    expect(zh.kind).toBe('error');
    expect(zh.text).toMatch(/sgops 未管理集群 cls-unknown1/);
    expect(zh.text).toContain('cls-aaaaaaaa, cls-bbbbbbbb');
    expect((await world.app.store.listRequests({ limit: 100 })).length).toBe(before);
    for (const c of Object.values(world.clusters)) {
      expect(c.emulator.calls()).toEqual({});
      expect(await c.kubeCalls()).toEqual({});
    }
  });
});
