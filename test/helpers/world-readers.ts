/**
 * What the grant stories read straight from a world's stand-ins (never the bot's view). It takes
 * the world as a getter, since a test's world starts in its beforeAll.
 */
import type { TestWorld } from './test-world.ts';
import { until } from './until.ts';
import { superNodeDeployment } from './super-node-deployment.ts';

/** The SecurityGroupPolicy custom resource's API. */
export const securityGroupPolicyApi = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};

/** The sample world's cluster group, which admits DNS from each pod group. */
const clusterGroupId = 'sg-sandbox1';

export function worldReaders(world: () => TestWorld, namespace = 'my-namespace') {
  const pods = async (app: string) =>
    (await world().kube.core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
  return {
    /** The pods labelled `app=<app>`. */
    pods,
    /** The groups named exactly `name`. */
    groupsNamed: async (name: string) =>
      (
        await world().vpc.DescribeSecurityGroups({
          Filters: [{ Name: 'security-group-name', Values: [name] }],
        })
      ).SecurityGroupSet!.filter((g) => g.SecurityGroupName === name),
    /** The protocols of the DNS rules the cluster group admits from group `id`, sorted. */
    dnsFrom: async (id: string) =>
      (await world().vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId }))
        .SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53' && r.SecurityGroupId === id)
        .map((r) => r.Protocol)
        .sort(),
    /** The SecurityGroupPolicy `name`, or null when there is none. */
    policy: async (name: string) =>
      (await world()
        .kube.custom.getNamespacedCustomObject({ ...securityGroupPolicyApi, namespace, name })
        .catch(() => null)) as { spec: { securityGroups: { groupIds: string[] } } } | null,
    /** Deploys each app (one replica, on super nodes) and waits until its pod is ready. */
    async runApps(apps: string[]): Promise<void> {
      for (const app of apps) {
        world().simulator.create('deployments', namespace, superNodeDeployment({ app, replicas: 1 }));
        await until(`${app} to run`, async () =>
          (await pods(app)).some((p) =>
            p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          )
            ? true
            : undefined,
        );
      }
    },
  };
}
