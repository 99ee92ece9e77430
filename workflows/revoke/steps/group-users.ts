/**
 * Who else still needs a pod group: a SecurityGroupPolicy that names it, or a pod that carries it.
 * The Cluster port cannot list policies, so the policies looked at are the ones whose names are
 * known (the request's `otherPolicyNames`, sgops' own names); pods that carry the group catch the
 * policies nobody named, as long as they select running pods.
 */
import type { StepPorts } from '../../grant/step-ports.ts';

export async function groupUsers(
  ports: StepPorts,
  input: {
    namespace: string;
    podGroupId: string;
    /** Policies to look at; the one being revoked is left out by the caller. */
    policyNames: readonly string[];
    /** Pods with these labels are not counted (while planning: the app's own pods, to be recreated). */
    ignorePodsLabelled?: Record<string, string>;
  },
): Promise<string[]> {
  const { namespace, podGroupId } = input;
  const users: string[] = [];
  for (const name of [...new Set(input.policyNames)].sort()) {
    const policy = await ports.cluster.getSecurityGroupPolicy(namespace, name);
    if (policy?.groupIds.includes(podGroupId))
      users.push(`SecurityGroupPolicy ${namespace}/${name} names ${podGroupId}`);
  }
  const ignored = Object.entries(input.ignorePodsLabelled ?? {});
  const carrying = (await ports.cluster.listPods(namespace, ''))
    .filter((p) => p.securityGroupIds.includes(podGroupId))
    .filter((p) => ignored.length === 0 || !ignored.every(([k, v]) => p.labels[k] === v))
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
