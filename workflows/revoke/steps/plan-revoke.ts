/**
 * `planning` of a revoke: read what exists (the target's policy, its pod group — or the groups its
 * grant named in `using` —, the DNS rules in the cluster group, the pods and their workloads, who
 * else uses the groups) and describe each removal with the tccli/kubectl line a person would type.
 * Reads only: nothing is written.
 */
import type { SecurityGroup, RuleSet } from '../../../src/ports/cloud-network.ts';
import type { PodInfo, SecurityGroupPolicyInfo, WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import { findCluster } from '../../shared/find-cluster.ts';
import type { PlannedChange } from '../../shared/planned-change.ts';
import { plannedPods } from '../../shared/planned-pods.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { sameRule } from '../../shared/rules/rules.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import { isManagedPolicy } from '../../shared/policy-labels.ts';
import {
  isTargetPod,
  labelledByKey,
  listTargetPods,
  podQueryOf,
  serviceAccountLabelKey,
  targetPhrase,
} from '../../shared/pods/target-pods.ts';
import { tccliDeleteGroup, tccliDeleteRules } from '../../shared/rules/tccli-lines.ts';
import { workloadKey, workloadsOfPods } from '../../shared/pods/workloads-of-pods.ts';
import { readGroupUsage } from '../../shared/groups/group-users.ts';
import type { GroupUsage } from '../../shared/groups/group-users.ts';
import type { RevokeContext, RevokePlan, RevokeSpec } from '../types.ts';
import { existingGroupIdsOf, findRevokedPodGroup } from './pod-group-of.ts';
import { planExistingGroupRemoval } from './plan-existing-group-removal.ts';

const sgpResource = 'securitygrouppolicies.vpcresources.tke.cloud.tencent.com';

export async function planRevoke(context: RevokeContext, ports: StepPorts): Promise<StepResult<RevokePlan>> {
  const { spec } = context;
  const { cloud, cluster: k8s, settings } = ports;
  const cluster = await findCluster(spec.clusterId, ports);
  const warnings: string[] = [];
  const clusterGroupName = settings.clusterGroupName(spec.clusterId);
  const { groups } = await cloud.describeSecurityGroups({ name: clusterGroupName });
  const clusterGroup = groups.find((g) => g.name === clusterGroupName) ?? null;
  if (!clusterGroup)
    warnings.push(`The cluster security group ${clusterGroupName} was not found; no DNS rule to remove.`);
  const podGroup = await findRevokedPodGroup(spec, ports);
  const existingIds = existingGroupIdsOf(spec);

  const policy = await k8s.getSecurityGroupPolicy(spec.namespace, spec.policyName);
  const managed = policy !== null && isManagedPolicy(policy.labels);
  const { labelSelector } = podQueryOf(spec);
  const [nodes, pods] = await Promise.all([k8s.listNodes(), listTargetPods(ports, spec.namespace, spec)]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const { workloads, podWorkload } = await workloadsOfPods(spec.namespace, labelSelector, pods, ports);

  const clusterRules = clusterGroup
    ? (await cloud.describeSecurityGroupPolicies(clusterGroup.id)).ruleSet
    : null;
  const present = clusterRules && podGroup ? presentDnsRules(clusterRules, podGroup.id, spec.requestId) : [];
  const usersOf = groupUsersOf(spec, ports, policy, managed);
  const stillUsedBy = podGroup ? await usersOf(podGroup.id) : [];

  const changes: PlannedChange[] = [];
  const found = { spec, policy, managed, podGroup, existingIds, pods, workloads, podWorkload };
  await planPolicyRemoval(found, ports, changes, warnings);
  if (podGroup)
    planPodGroupRemoval(settings.region, podGroup, clusterGroup, present, stillUsedBy, changes, warnings);
  const existingGroups = await planExistingGroupRemoval(
    { spec, ids: existingIds, clusterGroupId: clusterGroup?.id ?? null, clusterRules, usersOf },
    ports,
    changes,
    warnings,
  );
  if (!policy && !podGroup && existingIds.length === 0)
    warnings.push(
      `Nothing to revoke: there is no SecurityGroupPolicy ${spec.namespace}/${spec.policyName} and no pod group ${spec.podGroupName}.`,
    );
  if (pods.length === 0 && spec.target.kind === 'serviceAccount')
    warnings.push(`No pod in ${spec.namespace} runs as ${targetPhrase(spec.target)}.`);

  return {
    status: 'done',
    output: {
      cluster: { id: cluster.id, name: cluster.name, version: cluster.version, vpcId: cluster.vpcId },
      clusterGroupId: clusterGroup?.id ?? null,
      podGroupId: podGroup?.id ?? null,
      policy: {
        name: spec.policyName,
        exists: policy !== null,
        managed,
        groupIds: policy?.groupIds ?? [],
      },
      dnsRules: present,
      workloads: workloads.map((w) => ({ kind: w.kind, name: w.name })),
      pods: plannedPods(pods, superNodes, podWorkload),
      stillUsedBy,
      ...(existingIds.length > 0 ? { existingGroups } : {}),
      changes,
      warnings,
    },
  };
}

/** The pod group's DNS rules the cluster group still holds, as the cloud holds them. */
function presentDnsRules(clusterRules: RuleSet, podGroupId: string, requestId: string) {
  const wanted = dnsRules(podGroupId, requestId);
  return clusterRules.ingress
    .filter((r) => wanted.some((w) => sameRule(r, w)))
    .map(({ index: _index, ...rule }) => rule);
}

/**
 * Who else uses a group. The target's own policy goes first (when sgops manages it), and its own
 * pods are recreated: neither counts. The policies and pods are read once, when a group is first
 * asked about, and answer for every group.
 */
function groupUsersOf(
  spec: RevokeSpec,
  ports: StepPorts,
  policy: SecurityGroupPolicyInfo | null,
  managed: boolean,
): (groupId: string) => Promise<string[]> {
  const otherNames = (spec.otherPolicyNames ?? []).filter((n) => n !== spec.policyName);
  let usage: Promise<GroupUsage> | undefined;
  return async (groupId) => {
    usage ??= readGroupUsage(ports, {
      namespace: spec.namespace,
      policyNames: policy && !managed ? [...otherNames, spec.policyName] : otherNames,
      ignorePod: (pod) => isTargetPod(spec, pod),
      everywhere: { except: managed ? [`${spec.namespace}/${spec.policyName}`] : [] },
    });
    return (await usage)(groupId);
  };
}

interface Found {
  spec: RevokeSpec;
  policy: SecurityGroupPolicyInfo | null;
  managed: boolean;
  podGroup: SecurityGroup | null;
  existingIds: string[];
  pods: PodInfo[];
  workloads: WorkloadInfo[];
  podWorkload: Map<string, string>;
}

/** The policy (only sgops'), the service account's labels, and the restarts that take the groups off the pods. */
async function planPolicyRemoval(
  found: Found,
  ports: StepPorts,
  changes: PlannedChange[],
  warnings: string[],
): Promise<void> {
  const { spec, policy, managed, podGroup, existingIds, pods, workloads, podWorkload } = found;
  if (policy && managed) {
    changes.push({
      system: 'kubernetes',
      summary: `Delete SecurityGroupPolicy ${spec.namespace}/${spec.policyName}`,
      command: `kubectl delete ${sgpResource} ${spec.policyName} -n ${spec.namespace}`,
    });
  } else if (policy) {
    warnings.push(
      `SecurityGroupPolicy ${spec.namespace}/${spec.policyName} is not managed by sgops (no app.kubernetes.io/managed-by=sgops label); it is left alone, and so are the pods it gives groups to.`,
    );
  }
  const labelled = await serviceAccountLabelled(spec, ports);
  if (labelled && (policy === null || managed)) {
    const sa = spec.target.kind === 'serviceAccount' ? spec.target.serviceAccount : '';
    changes.push({
      system: 'kubernetes',
      summary: `Take sgops' labels off ServiceAccount ${sa}`,
      command: `kubectl label serviceaccount ${sa} -n ${spec.namespace} ${serviceAccountLabelKey}- ${labelledByKey}-`,
    });
  }
  const groupIds = [
    ...new Set([
      ...(podGroup ? [podGroup.id] : []),
      ...existingIds,
      ...(managed && policy ? policy.groupIds : []),
    ]),
  ];
  const carrying = new Set(
    pods.filter((p) => p.securityGroupIds.some((id) => groupIds.includes(id))).map((p) => p.name),
  );
  if (policy === null || managed) {
    for (const w of workloads) {
      const key = workloadKey(w);
      if (![...podWorkload.entries()].some(([pod, owner]) => owner === key && carrying.has(pod))) continue;
      changes.push({
        system: 'kubernetes',
        summary: `Restart ${w.kind} ${w.name} so its pods are recreated without the group`,
        command: `kubectl rollout restart ${w.kind.toLowerCase()}/${w.name} -n ${spec.namespace}`,
      });
    }
  }
  for (const p of pods.filter((p) => p.owners.length === 0 && carrying.has(p.name)))
    warnings.push(
      `Pod ${p.name} has no owning workload and keeps its group until you recreate it; sgops will not delete it.`,
    );
}

/** The pod group and its DNS rules go, unless someone still uses the group. */
function planPodGroupRemoval(
  region: string,
  podGroup: SecurityGroup,
  clusterGroup: SecurityGroup | null,
  present: ReturnType<typeof presentDnsRules>,
  stillUsedBy: string[],
  changes: PlannedChange[],
  warnings: string[],
): void {
  if (stillUsedBy.length > 0) {
    warnings.push(
      `The pod group ${podGroup.id} stays, with its DNS rules, because it is still used: ${stillUsedBy.join('; ')}.`,
    );
    return;
  }
  if (clusterGroup && present.length > 0) {
    changes.push({
      system: 'tencentcloud',
      summary: `Remove the DNS rules (TCP and UDP 53 from ${podGroup.id}) from the cluster group ${clusterGroup.id}`,
      command: tccliDeleteRules(region, clusterGroup.id, 'ingress', present),
    });
  }
  changes.push({
    system: 'tencentcloud',
    summary: `Delete the pod security group ${podGroup.id} (${podGroup.name}) unless another group's rule refers to it`,
    command: tccliDeleteGroup(region, podGroup.id),
  });
}

/** Whether the service account of a service-account target carries sgops' selector label. */
async function serviceAccountLabelled(spec: RevokeSpec, ports: StepPorts): Promise<boolean> {
  if (spec.target.kind !== 'serviceAccount') return false;
  const account = await ports.cluster.getServiceAccount(spec.namespace, spec.target.serviceAccount);
  return account !== null && serviceAccountLabelKey in account.labels;
}
