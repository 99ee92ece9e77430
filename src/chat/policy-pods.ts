/**
 * The pods a SecurityGroupPolicy selects, judged as the add-on judges them: only pods of its own
 * namespace; when both selectors are set both must match; a policy without a selector selects none.
 */
import { matchesLabelSelector } from '../domain/label-selector.ts';
import type { PodInfo, SecurityGroupPolicyInfo, ServiceAccountInfo } from '../ports/cluster.ts';

export function podsSelectedBy(
  policy: SecurityGroupPolicyInfo,
  pods: readonly PodInfo[],
  accounts: readonly ServiceAccountInfo[],
): PodInfo[] {
  const { podSelector, serviceAccountSelector } = policy;
  if (podSelector === undefined && serviceAccountSelector === undefined) return [];
  const accountLabels = new Map(
    accounts.filter((a) => a.namespace === policy.namespace).map((a) => [a.name, a.labels]),
  );
  return pods.filter(
    (pod) =>
      pod.namespace === policy.namespace &&
      (podSelector === undefined || matchesLabelSelector(podSelector, pod.labels)) &&
      (serviceAccountSelector === undefined ||
        matchesLabelSelector(serviceAccountSelector, accountLabels.get(pod.serviceAccountName) ?? {})),
  );
}
