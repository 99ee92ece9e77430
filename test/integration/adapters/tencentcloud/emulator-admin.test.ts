import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
  type TencentCloudEmulatorOptions,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { documentedRateLimits } from '../../../../adapters/tencentcloud/documented-rate-limits.ts';
import { serverVersion } from '../../../../adapters/kubernetes/simulator/discovery.ts';
import { adminRequest } from '../../../helpers/admin-request.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDadmin', secretKey: 'admin-secret' };

describe('the Tencent Cloud emulator admin API', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(options: Partial<TencentCloudEmulatorOptions> = {}) {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed(),
      ...options,
    });
    const urls = await emulator.start();
    return { ...urls, ...sdkClients(urls.url, credential) };
  }

  const admin = (url: string, method = 'GET', body?: unknown) => adminRequest<unknown>(url, method, body);

  it('counts calls per action and resets the count', async () => {
    const { adminUrl, vpc, tke } = await start();
    await vpc.DescribeSecurityGroups({});
    await vpc.DescribeSecurityGroups({});
    await tke.DescribeClusters({ ClusterIds: ['cls-sandbox1'] });
    expect((await admin(`${adminUrl}/calls`)).body).toEqual({
      DescribeSecurityGroups: 2,
      DescribeClusters: 1,
    });
    await admin(`${adminUrl}/calls/reset`, 'POST');
    expect((await admin(`${adminUrl}/calls`)).body).toEqual({});
  });

  it('shows groups with their rules in the state', async () => {
    const { adminUrl } = await start();
    const { body } = await admin(`${adminUrl}/state`);
    const state = body as { securityGroups: { name: string; ingress: { CidrBlock: string }[] }[] };
    expect(state.securityGroups[0]?.name).toBe('tke-worker-security-for-cls-sandbox1');
    expect(state.securityGroups[0]?.ingress[0]?.CidrBlock).toBe('10.0.0.0/24');
  });

  it('injects queued faults, then seeded random faults that repeat for the same seed', async () => {
    const { adminUrl, vpc } = await start();
    await admin(`${adminUrl}/faults`, 'POST', {
      seed: 7,
      next: [{ action: 'DescribeSecurityGroups', code: 'InternalError', count: 2 }],
    });
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('InternalError');
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('InternalError');
    await expect(vpc.DescribeSecurityGroups({})).resolves.toMatchObject({ TotalCount: 1 });

    const run = async () => {
      await admin(`${adminUrl}/faults`, 'POST', {
        seed: 42,
        rate: { '*': 0.5 },
        codes: ['RequestLimitExceeded'],
      });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        outcomes.push(
          await vpc.DescribeSecurityGroups({}).then(
            () => 'ok',
            (e: { code: string }) => e.code,
          ),
        );
      }
      return outcomes;
    };
    const first = await run();
    expect(first).toContain('ok');
    expect(first).toContain('RequestLimitExceeded');
    expect(await run()).toEqual(first);

    await admin(`${adminUrl}/faults`, 'DELETE');
    await expect(vpc.DescribeSecurityGroups({})).resolves.toMatchObject({ TotalCount: 1 });
  });

  it('changes a cluster for restriction checks', async () => {
    const { adminUrl, tke } = await start();
    const patched = await admin(`${adminUrl}/clusters/cls-sandbox1`, 'PATCH', {
      version: '1.18.4',
      isDualStack: true,
      addons: [{ name: 'securitygrouppolicy', phase: 'InstallFailed', reason: 'image pull failed' }],
      virtualNodes: [],
    });
    expect(patched.status).toBe(200);
    const clusters = await tke.DescribeClusters({ ClusterIds: ['cls-sandbox1'] });
    expect(clusters.Clusters?.[0]).toMatchObject({
      ClusterVersion: '1.18.4',
      ClusterNetworkSettings: { IsDualStack: true },
    });
    expect(JSON.parse(clusters.Clusters?.[0]?.Property ?? '{}')).toMatchObject({ IsDualStack: true });
    const addons = await tke.DescribeAddon({ ClusterId: 'cls-sandbox1', AddonName: 'securitygrouppolicy' });
    expect(addons.Addons?.[0]).toMatchObject({ Phase: 'InstallFailed', Reason: 'image pull failed' });
    expect((await tke.DescribeClusterVirtualNode({ ClusterId: 'cls-sandbox1' })).Nodes).toEqual([]);
    expect((await admin(`${adminUrl}/clusters/cls-nothere`, 'PATCH', {})).status).toBe(404);
  });

  it('answers the TKE reads of the sandbox cluster', async () => {
    const { tke } = await start({ kubeconfigFor: (id) => `kubeconfig of ${id}` });
    expect((await tke.DescribeClusters({ ClusterIds: ['cls-nothere'] })).Clusters).toEqual([]);
    expect((await tke.DescribeAddon({ ClusterId: 'cls-sandbox1', AddonName: 'other' })).Addons).toEqual([]);
    const pools = await tke.DescribeClusterVirtualNodePools({ ClusterId: 'cls-sandbox1' });
    expect(pools.NodePoolSet?.map((p) => p.NodePoolId)).toEqual(['np-sandbox1']);
    const nodes = await tke.DescribeClusterVirtualNode({
      ClusterId: 'cls-sandbox1',
      NodePoolId: 'np-sandbox1',
    });
    expect(nodes.Nodes?.map((n) => n.Name)).toEqual([
      'eklet-subnet-q21rasu6-8bpgyx9r',
      'eklet-subnet-q21rasu6-2kd9xw1m',
    ]);
    expect((await tke.DescribeClusterKubeconfig({ ClusterId: 'cls-sandbox1' })).Kubeconfig).toBe(
      'kubeconfig of cls-sandbox1',
    );
  });

  it('throttles an action past its per-second limit with RequestLimitExceeded', async () => {
    const fixed = new Date();
    const { tke } = await start({ now: () => fixed, rateLimits: { DescribeClusters: 3 } });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i += 1)
      outcomes.push(
        await tke.DescribeClusters({}).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'RequestLimitExceeded']);
  });

  it('lets DeleteSecurityGroup through at its documented 100 calls a second and throttles the 101st', async () => {
    const fixed = new Date();
    const { vpc } = await start({ now: () => fixed });
    const outcomes: string[] = [];
    for (let i = 0; i < 101; i += 1)
      outcomes.push(await vendorCode(vpc.DeleteSecurityGroup({ SecurityGroupId: `sg-gone${i}` })));
    expect(outcomes.slice(0, 100).every((code) => code === 'ResourceNotFound')).toBe(true);
    expect(outcomes[100]).toBe('RequestLimitExceeded');
    // The adapter's shared limiter budgets the same documented figure.
    expect(documentedRateLimits.DeleteSecurityGroup).toBe(100);
  });

  it("reports the sandbox cluster at the Kubernetes version the simulator's /version serves", async () => {
    const { tke } = await start();
    const { Clusters } = await tke.DescribeClusters({ ClusterIds: ['cls-sandbox1'] });
    // gitVersion v1.30.0-tke.1: the TKE build suffix aside, the same release.
    const simulated = /^v(\d+\.\d+\.\d+)-/.exec(serverVersion.gitVersion)?.[1];
    expect(Clusters?.[0]?.ClusterVersion).toBe(simulated);
  });
});
