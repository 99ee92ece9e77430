/**
 * The seed's step 8 for one grant, through the Tencent SDK: the cluster group's DNS rules from the
 * grant's pod group deleted by hand. Answers the pod group's id.
 */
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { TestWorld } from './test-world.ts';

export async function deleteGrantDnsRules(
  world: Pick<TestWorld, 'app' | 'vpc'>,
  grantId: string,
  clusterGroupId = 'sg-sandbox1',
): Promise<string> {
  const podGroupId = ((await world.app.engine.read(grantId))!.context as GrantContext).outputs
    .ensurePodSecurityGroup!.podGroupId;
  const dns = (
    await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId })
  ).SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53' && r.SecurityGroupId === podGroupId);
  await world.vpc.DeleteSecurityGroupPolicies({
    SecurityGroupId: clusterGroupId,
    SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
  });
  return podGroupId;
}
