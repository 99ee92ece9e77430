/**
 * Every security group and its rules, read through the SDK as an operator would with tccli:
 * DescribeSecurityGroups and DescribeSecurityGroupPolicies. What necessarily moves with any write
 * (the rule set's Version, UpdateTime, ModifyTime) is left out; everything else must match.
 */
import type { TestWorld } from './test-world.ts';

export async function cloudSnapshot(world: TestWorld): Promise<unknown[]> {
  const { SecurityGroupSet = [] } = await world.vpc.DescribeSecurityGroups({ Limit: '100' });
  const groups: unknown[] = [];
  for (const { UpdateTime: _updated, ...group } of SecurityGroupSet) {
    const { SecurityGroupPolicySet } = await world.vpc.DescribeSecurityGroupPolicies({
      SecurityGroupId: group.SecurityGroupId!,
    });
    const { Version: _version, Ingress = [], Egress = [], ...rest } = SecurityGroupPolicySet!;
    const rules = (list: typeof Ingress) => list.map(({ ModifyTime: _modified, ...rule }) => rule);
    groups.push({ ...group, policies: { ...rest, Ingress: rules(Ingress), Egress: rules(Egress) } });
  }
  return groups.sort((a, b) =>
    String((a as { SecurityGroupId: string }).SecurityGroupId).localeCompare(
      String((b as { SecurityGroupId: string }).SecurityGroupId),
    ),
  );
}
