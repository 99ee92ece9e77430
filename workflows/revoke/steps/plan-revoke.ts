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
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { targetText } from '../../../src/domain/target-text.ts';
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
  const warnings: Words[] = [];
  const clusterGroupName = settings.clusterGroupName(spec.clusterId);
  const { groups } = await cloud.describeSecurityGroups({ name: clusterGroupName });
  const clusterGroup = groups.find((g) => g.name === clusterGroupName) ?? null;
  if (!clusterGroup)
    warnings.push(
      words(
        `The cluster security group ${clusterGroupName} was not found; no DNS rule to remove.`,
        `找不到集群安全组 ${clusterGroupName}，没有要移除的 DNS 规则。`,
      ),
    );
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
      words(
        `Nothing to revoke: there is no SecurityGroupPolicy ${spec.namespace}/${spec.policyName} and no pod group ${spec.podGroupName}.`,
        `没有可撤销的内容：不存在 SecurityGroupPolicy ${spec.namespace}/${spec.policyName}，也不存在 Pod 安全组 ${spec.podGroupName}。`,
      ),
    );
  if (pods.length === 0 && spec.target.kind === 'serviceAccount')
    warnings.push(
      words(
        `No pod in ${spec.namespace} runs as ${targetText(spec.target, 'en')}.`,
        `命名空间 ${spec.namespace} 中没有以${targetText(spec.target, 'zh')}运行的 Pod。`,
      ),
    );

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
): (groupId: string) => Promise<Words[]> {
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
  warnings: Words[],
): Promise<void> {
  const { spec, policy, managed, podGroup, existingIds, pods, workloads, podWorkload } = found;
  if (policy && managed) {
    changes.push({
      system: 'kubernetes',
      summary: words(
        `Delete SecurityGroupPolicy ${spec.namespace}/${spec.policyName}`,
        `删除 SecurityGroupPolicy ${spec.namespace}/${spec.policyName}`,
      ),
      command: `kubectl delete ${sgpResource} ${spec.policyName} -n ${spec.namespace}`,
    });
  } else if (policy) {
    warnings.push(
      words(
        `SecurityGroupPolicy ${spec.namespace}/${spec.policyName} is not managed by sgops (no app.kubernetes.io/managed-by=sgops label); it is left alone, and so are the pods it gives groups to.`,
        `SecurityGroupPolicy ${spec.namespace}/${spec.policyName} 不由 sgops 管理（没有 app.kubernetes.io/managed-by=sgops 标签），它和它为之绑定安全组的 Pod 都保持不变。`,
      ),
    );
  }
  const labelled = await serviceAccountLabelled(spec, ports);
  if (labelled && (policy === null || managed)) {
    const sa = spec.target.kind === 'serviceAccount' ? spec.target.serviceAccount : '';
    changes.push({
      system: 'kubernetes',
      summary: words(`Take sgops' labels off ServiceAccount ${sa}`, `去掉服务账号 ${sa} 上 sgops 的标签`),
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
        summary: words(
          `Restart ${w.kind} ${w.name} so its pods are recreated without the group`,
          `重启 ${w.kind} ${w.name}，使其 Pod 重建后不再带有该安全组`,
        ),
        command: `kubectl rollout restart ${w.kind.toLowerCase()}/${w.name} -n ${spec.namespace}`,
      });
    }
  }
  for (const p of pods.filter((p) => p.owners.length === 0 && carrying.has(p.name)))
    warnings.push(
      words(
        `Pod ${p.name} has no owning workload and keeps its group until you recreate it; sgops will not delete it.`,
        `Pod ${p.name} 不属于任何工作负载，在你重建它之前会一直带着该安全组；sgops 不会删除它。`,
      ),
    );
}

/** The pod group and its DNS rules go, unless someone still uses the group. */
function planPodGroupRemoval(
  region: string,
  podGroup: SecurityGroup,
  clusterGroup: SecurityGroup | null,
  present: ReturnType<typeof presentDnsRules>,
  stillUsedBy: Words[],
  changes: PlannedChange[],
  warnings: Words[],
): void {
  if (stillUsedBy.length > 0) {
    warnings.push(
      words(
        `The pod group ${podGroup.id} stays, with its DNS rules, because it is still used: ${joinWords(stillUsedBy, '; ').en}.`,
        `Pod 安全组 ${podGroup.id} 及其 DNS 规则保留，因为它仍在使用：${joinWords(stillUsedBy, '；').zh}。`,
      ),
    );
    return;
  }
  if (clusterGroup && present.length > 0) {
    changes.push({
      system: 'tencentcloud',
      summary: words(
        `Remove the DNS rules (TCP and UDP 53 from ${podGroup.id}) from the cluster group ${clusterGroup.id}`,
        `从集群安全组 ${clusterGroup.id} 移除 DNS 规则（来自 ${podGroup.id} 的 TCP 和 UDP 53）`,
      ),
      command: tccliDeleteRules(region, clusterGroup.id, 'ingress', present),
    });
  }
  changes.push({
    system: 'tencentcloud',
    summary: words(
      `Delete the pod security group ${podGroup.id} (${podGroup.name}) unless another group's rule refers to it`,
      `删除 Pod 安全组 ${podGroup.id}（${podGroup.name}），除非其他安全组的规则仍引用它`,
    ),
    command: tccliDeleteGroup(region, podGroup.id),
  });
}

/** Whether the service account of a service-account target carries sgops' selector label. */
async function serviceAccountLabelled(spec: RevokeSpec, ports: StepPorts): Promise<boolean> {
  if (spec.target.kind !== 'serviceAccount') return false;
  const account = await ports.cluster.getServiceAccount(spec.namespace, spec.target.serviceAccount);
  return account !== null && serviceAccountLabelKey in account.labels;
}
