/**
 * Who else still needs a security group: a SecurityGroupPolicy that names it, or a pod that
 * carries it. The policies looked at are the ones whose names are known (the request's
 * `otherPolicyNames`, sgops' own names) and, with `everywhere`, every policy in the cluster (one
 * list request, which holds the named ones too): a group shared by name (`as group`) or an
 * existing one (`using`) may be named by policies sgops knows nothing of, in any namespace. Pods
 * that carry the group catch the policies nobody named, as long as they select running pods.
 *
 * `readGroupUsage` reads the policies and the namespace's pods once and answers for any number
 * of groups, so a revoke of several `using` groups lists them once, not once per group.
 */
import type { PodInfo, SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { StepPorts } from '../step-ports.ts';
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';

export interface GroupUsageQuery {
  namespace: string;
  /** Policies to look at; the one being revoked is left out by the caller. */
  policyNames: readonly string[];
  /** Pods for which this answers true are not counted (while planning: the target's own pods, to be recreated). */
  ignorePod?: (pod: PodInfo) => boolean;
  /** Also every policy in the cluster, except these (`namespace/name`: the ones being removed). */
  everywhere?: { except: readonly string[] };
}

/** The users of one group, from what `readGroupUsage` read: policies first, then the pods. */
export type GroupUsage = (groupId: string) => Words[];

export async function readGroupUsage(ports: StepPorts, query: GroupUsageQuery): Promise<GroupUsage> {
  const policies = await readPolicies(ports, query);
  const pods = (await ports.cluster.listPods(query.namespace, '')).filter((p) => !query.ignorePod?.(p));
  return (groupId) => usersOf(groupId, query.namespace, policies, pods);
}

/** The users of one group (reads as `readGroupUsage` does; use that for several groups). */
export async function groupUsers(
  ports: StepPorts,
  input: GroupUsageQuery & { podGroupId: string },
): Promise<Words[]> {
  return (await readGroupUsage(ports, input))(input.podGroupId);
}

/** `namespace/name` and the groups of each policy looked at. */
async function readPolicies(
  ports: StepPorts,
  query: GroupUsageQuery,
): Promise<{ key: string; groupIds: readonly string[] }[]> {
  const { namespace } = query;
  const named = new Set(query.policyNames);
  if (query.everywhere) {
    // The cluster-wide list holds the named policies too; a named one is looked at even when excepted.
    const except = new Set(query.everywhere.except);
    return (await ports.cluster.listSecurityGroupPolicies())
      .map((p) => ({ key: `${p.namespace}/${p.name}`, policy: p }))
      .filter(({ key, policy }) => !except.has(key) || isNamed(policy, namespace, named))
      .map(({ key, policy }) => ({ key, groupIds: policy.groupIds }));
  }
  const found: { key: string; groupIds: readonly string[] }[] = [];
  for (const name of [...named].sort()) {
    const policy = await ports.cluster.getSecurityGroupPolicy(namespace, name);
    if (policy) found.push({ key: `${namespace}/${name}`, groupIds: policy.groupIds });
  }
  return found;
}

function isNamed(policy: SecurityGroupPolicyInfo, namespace: string, named: Set<string>): boolean {
  return policy.namespace === namespace && named.has(policy.name);
}

function usersOf(
  groupId: string,
  namespace: string,
  policies: readonly { key: string; groupIds: readonly string[] }[],
  pods: readonly PodInfo[],
): Words[] {
  const naming = new Set(policies.filter((p) => p.groupIds.includes(groupId)).map((p) => p.key));
  const users = [...naming]
    .sort()
    .map((key) =>
      words(`SecurityGroupPolicy ${key} names ${groupId}`, `SecurityGroupPolicy ${key} 绑定了 ${groupId}`),
    );
  const carrying = pods
    .filter((p) => p.securityGroupIds.includes(groupId))
    .map((p) => p.name)
    .sort();
  if (carrying.length > 0) {
    const shown = carrying.slice(0, 3).join(', ');
    const rest = carrying.length - 3;
    const many = carrying.length > 1;
    users.push(
      words(
        `${many ? 'pods' : 'pod'} ${shown}${rest > 0 ? ` and ${rest} more` : ''} in ${namespace} ${many ? 'carry' : 'carries'} ${groupId}`,
        `${namespace} 中的 Pod ${shown}${rest > 0 ? ` 等 ${carrying.length} 个` : ''}带有 ${groupId}`,
      ),
    );
  }
  return users;
}
