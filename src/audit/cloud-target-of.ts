/** The audit `target` of each CloudNetwork call: the security group or cluster it acts on. */
import type { CloudNetwork, SecurityGroupQuery } from '../ports/cloud-network.ts';

export function cloudTargetOf(method: keyof CloudNetwork, args: readonly unknown[]): string {
  switch (method) {
    case 'describeClusters':
      return (args[0] as string[]).join(',');
    case 'describeAddon':
      return `${String(args[0])}/${String(args[1])}`;
    case 'describeClusterVirtualNodes':
    case 'deleteSecurityGroup':
    case 'describeSecurityGroupPolicies':
      return String(args[0]);
    case 'describeSecurityGroupReferences':
      return (args[0] as string[]).join(',');
    case 'describeSecurityGroupLimits':
      return '';
    case 'describeSecurityGroups':
      return queryTarget(args[0] as SecurityGroupQuery);
    case 'createSecurityGroup':
      return (args[0] as { name: string }).name;
    case 'createSecurityGroupPolicies':
    case 'deleteSecurityGroupPolicies': {
      const input = args[0] as { securityGroupId: string; direction: string };
      return `${input.securityGroupId}/${input.direction}`;
    }
  }
}

function queryTarget(query: SecurityGroupQuery): string {
  if ('ids' in query) return query.ids.join(',');
  return query.name === undefined ? '' : `name=${query.name}`;
}
