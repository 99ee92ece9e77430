import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { grantApproved, revoked } from '../helpers/chat-requests.ts';
import { until } from '../helpers/until.ts';
import { superNodeDeployment } from '../helpers/super-node-deployment.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';

const ns = 'my-namespace';
const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};

/**
 * `grant pod SG to serviceaccount api`: the pods running as ServiceAccount api get the group —
 * through a serviceAccountSelector on the label sgops puts on the account — and the pods of another
 * account in the same namespace are neither given the group nor restarted. The revoke, asked in
 * 中文, takes all of it back, the label too.
 */
describe('granting a pod security group to a service account', () => {
  let world: TestWorld;
  let requestId = '';
  let groupId = '';
  let batchPodsBefore: string[] = [];

  const pods = async (app: string) =>
    (await world.kube.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items;
  const account = (name: string) => world.kube.core.readNamespacedServiceAccount({ namespace: ns, name });

  beforeAll(async () => {
    world = await startTestWorld('grant-service-account');
    for (const [app, sa, replicas] of [
      ['api-pods', 'api', 2],
      ['batch-pods', 'batch', 1],
    ] as const) {
      await world.kube.core.createNamespacedServiceAccount({
        namespace: ns,
        body: { metadata: { name: sa, labels: { team: 'pay' } } },
      });
      const d = superNodeDeployment({ app, replicas });
      d.spec.template.spec.serviceAccountName = sa;
      world.simulator.create('deployments', ns, d);
      await until(`${app} to run`, async () =>
        (await pods(app)).filter((p) =>
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length === replicas
          ? true
          : undefined,
      );
    }
    batchPodsBefore = (await pods('batch-pods')).map((p) => p.metadata!.name!).sort();
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('plans the account label and a serviceAccountSelector, then runs to done', async () => {
    const {
      requestId: id,
      plan,
      end,
    } = await grantApproved(world, 'grant pod SG to serviceaccount api in my-namespace');
    requestId = id;
    expect(plan.text).toContain('grant pod SG to serviceaccount api in my-namespace');
    expect(plan.text).toContain(
      `kubectl label serviceaccount api -n my-namespace --overwrite sgops/serviceaccount=api sgops/labelled-by=${id}`,
    );
    expect(plan.text).toContain('serviceAccountSelector sgops/serviceaccount=api');
    expect(plan.text).toContain(
      'tccli vpc CreateSecurityGroup --region ap-guangzhou --GroupName sgops-my-namespace-sa:api',
    );
    expect(plan.text).toContain('Deployment/api-pods');
    expect(plan.text).not.toContain('batch-pods');
    expect(end.state).toBe('done');
    groupId = ((await world.app.engine.read(id))!.context as GrantContext).outputs.ensurePodSecurityGroup!
      .podGroupId;
  });

  it('labels the account with one audited patch and selects it by that label', async () => {
    const sa = await account('api');
    expect(sa.metadata!.labels).toEqual({
      team: 'pay',
      'sgops/serviceaccount': 'api',
      'sgops/labelled-by': requestId,
    });
    expect((await account('batch')).metadata!.labels).toEqual({ team: 'pay' });
    const policy = (await world.kube.custom.getNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      name: 'sgops-sa.api',
    })) as { spec: Record<string, unknown> };
    expect(policy.spec).toEqual({
      serviceAccountSelector: { matchLabels: { 'sgops/serviceaccount': 'api' } },
      securityGroups: { groupIds: [groupId] },
    });
    const patches = (await world.app.store.listAudit({ requestId })).filter(
      (a) => a.action === 'patch serviceaccounts' && a.kind === 'intent',
    );
    expect(patches).toHaveLength(1);
    expect(patches[0]!.target).toBe(`${ns}/api`);

    const { SecurityGroupSet } = await world.vpc.DescribeSecurityGroups({ SecurityGroupIds: [groupId] });
    expect(SecurityGroupSet![0]!.SecurityGroupName).toBe('sgops-my-namespace-sa:api');
    expect(SecurityGroupSet![0]!.TagSet).toContainEqual({ Key: 'sgops/serviceaccount', Value: 'api' });
  });

  it("gives the group to the account's pods only; the other account's pods are untouched", async () => {
    const api = await pods('api-pods');
    expect(api).toHaveLength(2);
    for (const pod of api) {
      expect(pod.spec!.serviceAccountName).toBe('api');
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(groupId);
    }
    const batch = await pods('batch-pods');
    expect(batch.map((p) => p.metadata!.name!).sort()).toEqual(batchPodsBefore);
    for (const pod of batch) expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
  });

  it('revokes in 中文: policy, label, pods, DNS rules and group all go', async () => {
    const { opened, end } = await revoked(world, '撤销 Pod 安全组 从 服务账号 api 在 my-namespace');
    expect(opened.text).toContain('服务账号 api');
    expect(end.state).toBe('done');

    expect((await account('api')).metadata!.labels).toEqual({ team: 'pay' });
    await expect(
      world.kube.custom.getNamespacedCustomObject({ ...sgp, namespace: ns, name: 'sgops-sa.api' }),
    ).rejects.toMatchObject({ code: 404 });
    for (const pod of await pods('api-pods'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
    expect((await pods('batch-pods')).map((p) => p.metadata!.name!).sort()).toEqual(batchPodsBefore);
    const { SecurityGroupSet } = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-sa:api'] }],
    });
    expect(SecurityGroupSet).toEqual([]);
    const cluster = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: 'sg-sandbox1' });
    expect(cluster.SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53')).toEqual([]);
  });
});
