/** The audit `target` of each Cluster call: `namespace/name`, or `namespace?selector` for lists. */
import type { Cluster, SecurityGroupPolicyInfo, WorkloadRef } from '../ports/cluster.ts';

export function clusterTargetOf(method: keyof Cluster, args: readonly unknown[]): string {
  switch (method) {
    case 'getSecurityGroupPolicyCrd':
      return 'securitygrouppolicies';
    case 'listNodes':
      return '';
    case 'getNamespace':
    case 'createNamespace':
      return String(args[0]);
    case 'listPods':
    case 'listReplicaSets':
      return args[1] === '' ? String(args[0]) : `${String(args[0])}?${String(args[1])}`;
    case 'getWorkload':
    case 'restartWorkload':
    case 'waitForRollout': {
      const ref = args[1] as WorkloadRef;
      return `${String(args[0])}/${ref.kind}/${ref.name}`;
    }
    case 'listEvents':
    case 'getSecurityGroupPolicy':
    case 'deleteSecurityGroupPolicy':
      return `${String(args[0])}/${String(args[1])}`;
    case 'createSecurityGroupPolicy':
    case 'replaceSecurityGroupPolicy': {
      const policy = args[0] as SecurityGroupPolicyInfo;
      return `${policy.namespace}/${policy.name}`;
    }
  }
}
