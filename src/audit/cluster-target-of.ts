/** The audit `target` of each Cluster call: `namespace/name`, or `namespace?selector` for lists. */
import type { Cluster, SecurityGroupPolicyInfo, WorkloadRef } from '../ports/cluster.ts';

export function clusterTargetOf(method: keyof Cluster, args: readonly unknown[]): string {
  switch (method) {
    case 'getSecurityGroupPolicyCrd':
      return 'securitygrouppolicies';
    case 'listNodes':
    case 'listNamespaces':
    case 'watchSecurityGroupPolicies':
    case 'watchPods':
      return '';
    // All namespaces, like a cluster-scoped list, when none is given.
    case 'listSecurityGroupPolicies':
      return args[0] === undefined ? '' : String(args[0]);
    case 'getNamespace':
    case 'createNamespace':
    case 'listServiceAccounts':
      return String(args[0]);
    case 'listPods':
    case 'listReplicaSets': {
      const selectors = [args[1], args[2]].filter((s) => typeof s === 'string' && s !== '');
      return selectors.length === 0 ? String(args[0]) : `${String(args[0])}?${selectors.join(',')}`;
    }
    case 'getWorkload':
    case 'restartWorkload':
    case 'waitForRollout': {
      const ref = args[1] as WorkloadRef;
      return `${String(args[0])}/${ref.kind}/${ref.name}`;
    }
    case 'listEvents':
    case 'getServiceAccount':
    case 'patchServiceAccountLabels':
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
