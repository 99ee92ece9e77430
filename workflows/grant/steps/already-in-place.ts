/**
 * A re-grant finds its pod group, rules, policy and pods as an earlier grant left them: which of
 * the plan's changes are already in place, so the plan says so per item instead of listing, as
 * changes to make, writes that the steps will find done and skip. Reads only.
 */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { PodInfo } from '../../../src/ports/cluster.ts';
import type { GrantSpec } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { fromGroup, missingRules } from '../../shared/rules/rules.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import { policySelectorOf } from '../../shared/pods/target-pods.ts';
import { kubeletRule } from './ensure-pod-group-rules.ts';

/** Which rules of sgops' pod group (found, not to be made) are there already. */
export interface PodGroupInPlace {
  dns: boolean;
  ingress: boolean;
  egress: boolean;
  extraIngress: boolean;
}

export async function podGroupInPlace(
  spec: GrantSpec,
  ports: StepPorts,
  clusterGroupId: string,
  group: SecurityGroup,
): Promise<PodGroupInPlace> {
  const [{ ruleSet: clusterRules }, { ruleSet: own }] = await Promise.all([
    ports.cloud.describeSecurityGroupPolicies(clusterGroupId),
    ports.cloud.describeSecurityGroupPolicies(group.id),
  ]);
  const none = (existing: Parameters<typeof missingRules>[0], wanted: Parameters<typeof missingRules>[1]) =>
    missingRules(existing, wanted).length === 0;
  return {
    dns: none(clusterRules.ingress, dnsRules(group.id, spec.requestId)),
    ingress: none(own.ingress, [
      fromGroup(group.id, 'ALL', 'ALL', ''),
      kubeletRule(clusterGroupId, spec.requestId),
    ]),
    egress: none(own.egress, spec.egress),
    extraIngress: none(own.ingress, spec.extraIngress ?? []),
  };
}

/** Whether the policy is there as this grant would apply it (selector and groups): applyPolicy then writes nothing. */
export async function policyInPlace(spec: GrantSpec, ports: StepPorts, groupIds: string[]): Promise<boolean> {
  const existing = await ports.cluster.getSecurityGroupPolicy(spec.namespace, spec.policyName);
  if (!existing) return false;
  const wanted = policySelectorOf(spec);
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (
    same(existing.podSelector, wanted.podSelector) &&
    same(existing.serviceAccountSelector, wanted.serviceAccountSelector) &&
    same(existing.groupIds, groupIds)
  );
}

/** The workloads whose every pod already carries all the groups: recreatePods skips them. */
export function workloadsCarrying(
  pods: PodInfo[],
  podWorkload: Map<string, string>,
  groupIds: string[],
): Set<string> {
  const lacking = new Set<string>();
  const seen = new Set<string>();
  for (const pod of pods) {
    const owner = podWorkload.get(pod.name);
    if (owner === undefined) continue;
    seen.add(owner);
    if (!groupIds.every((id) => pod.securityGroupIds.includes(id))) lacking.add(owner);
  }
  return new Set([...seen].filter((w) => !lacking.has(w)));
}
