/**
 * Requests per second Tencent Cloud documents per action (the reference's table); an action not
 * listed is assumed to allow `fallbackRateLimit`. The emulator enforces the same numbers.
 */
export const fallbackRateLimit = 20;

export const documentedRateLimits: Readonly<Record<string, number>> = {
  CreateSecurityGroup: 100,
  DescribeSecurityGroups: 100,
  CreateSecurityGroupPolicies: 100,
  DescribeSecurityGroupPolicies: 100,
  DeleteSecurityGroupPolicies: 100,
  ReplaceSecurityGroupPolicy: 100,
  DeleteSecurityGroup: 100,
  ReplaceSecurityGroupPolicies: 20,
  DescribeSecurityGroupLimits: 20,
  DescribeSecurityGroupReferences: 20,
  DescribeClusters: 20,
  DescribeAddon: 20,
  DescribeClusterVirtualNodePools: 20,
  DescribeClusterVirtualNode: 20,
  DescribeClusterKubeconfig: 20,
};
