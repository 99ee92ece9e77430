/**
 * Who else still needs a security group: a SecurityGroupPolicy that names it, or a pod that
 * carries it. The policies looked at are the ones whose names are known (the request's
 * `otherPolicyNames`, sgops' own names) and, with `everywhere`, every policy in the cluster (one
 * list request): a group shared by name (`as group`) or an existing one (`using`) may be named by
 * policies sgops knows nothing of, in any namespace. Pods that carry the group catch the policies
 * nobody named, as long as they select running pods.
 */
import type { PodInfo } from '../../../src/ports/cluster.ts';
import type { StepPorts } from '../../grant/step-ports.ts';

export async function groupUsers(
  ports: StepPorts,
  input: {
    namespace: string;
    podGroupId: string;
    /** Policies to look at; the one being revoked is left out by the caller. */
    policyNames: readonly string[];
    /** Pods for which this answers true are not counted (while planning: the target's own pods, to be recreated). */
    ignorePod?: (pod: PodInfo) => boolean;
    /** Also every policy in the cluster, except these (`namespace/name`: the ones being removed). */
    everywhere?: { except: readonly string[] };
  },
): Promise<string[]> {
  const { namespace, podGroupId } = input;
  const naming = new Set<string>();
  for (const name of [...new Set(input.policyNames)].sort()) {
    const policy = await ports.cluster.getSecurityGroupPolicy(namespace, name);
    if (policy?.groupIds.includes(podGroupId)) naming.add(`${namespace}/${name}`);
  }
  if (input.everywhere) {
    const except = new Set(input.everywhere.except);
    for (const policy of await ports.cluster.listSecurityGroupPolicies()) {
      const key = `${policy.namespace}/${policy.name}`;
      if (!except.has(key) && policy.groupIds.includes(podGroupId)) naming.add(key);
    }
  }
  const users = [...naming].sort().map((key) => `SecurityGroupPolicy ${key} names ${podGroupId}`);
  const carrying = (await ports.cluster.listPods(namespace, ''))
    .filter((p) => p.securityGroupIds.includes(podGroupId))
    .filter((p) => !input.ignorePod?.(p))
    .map((p) => p.name)
    .sort();
  if (carrying.length > 0) {
    const shown = carrying.slice(0, 3).join(', ');
    const more = carrying.length > 3 ? ` and ${carrying.length - 3} more` : '';
    const many = carrying.length > 1;
    users.push(
      `${many ? 'pods' : 'pod'} ${shown}${more} in ${namespace} ${many ? 'carry' : 'carries'} ${podGroupId}`,
    );
  }
  return users;
}
