/**
 * `planning` of a revoke: read what exists (the target's policy, its pod group — or the groups its
 * grant named in `using` —, the DNS rules in the cluster group, the pods and their workloads, who
 * else uses the groups) and describe each removal with the tccli/kubectl line a person would type.
 * Reads only: nothing is written.
 */
import { AppError } from '../../../src/errors.ts';
import type { IndexedRule, Rule } from '../../../src/ports/cloud-network.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { PlannedChange } from '../../shared/planned-change.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { isSgopsRule } from '../../shared/rules/rule-label.ts';
import { peerGroupOf, sameRule } from '../../shared/rules/rules.ts';
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
import { describeRule, tccliDeleteRules } from '../../shared/rules/tccli-lines.ts';
import { workloadKey, workloadsOfPods } from '../../shared/pods/workloads-of-pods.ts';
import type { RevokeContext, RevokePlan, RevokeSpec } from '../types.ts';
import { readGroupUsage } from '../../shared/groups/group-users.ts';
import type { GroupUsage } from '../../shared/groups/group-users.ts';
import { existingGroupIdsOf, findRevokedPodGroup } from './pod-group-of.ts';
import { readGroup } from '../../shared/groups/read-group.ts';

const sgpResource = 'securitygrouppolicies.vpcresources.tke.cloud.tencent.com';

export async function planRevoke(context: RevokeContext, ports: StepPorts): Promise<StepResult<RevokePlan>> {
  const { spec } = context;
  const { cloud, cluster: k8s, settings } = ports;
  const { clusters } = await cloud.describeClusters([spec.clusterId]);
  const cluster = clusters.find((c) => c.id === spec.clusterId);
  if (!cluster) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Cluster ${spec.clusterId} was not found in region ${settings.region}.`,
      {
        hint: `Check the cluster id and region: tccli tke DescribeClusters --region ${settings.region} --ClusterIds '["${spec.clusterId}"]'`,
      },
    );
  }
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

  let present: Rule[] = [];
  const clusterRules = clusterGroup
    ? (await cloud.describeSecurityGroupPolicies(clusterGroup.id)).ruleSet
    : null;
  if (clusterRules && podGroup) {
    const wanted = dnsRules(podGroup.id, spec.requestId);
    present = clusterRules.ingress
      .filter((r) => wanted.some((w) => sameRule(r, w)))
      .map(({ index: _index, ...rule }) => rule);
  }
  // The target's own policy goes first (when sgops manages it), and its own pods are recreated: neither counts.
  // The policies and pods are read once, when a group is first asked about, and answer for every group.
  const otherNames = (spec.otherPolicyNames ?? []).filter((n) => n !== spec.policyName);
  let usage: Promise<GroupUsage> | undefined;
  const usersOf = async (groupId: string) => {
    usage ??= readGroupUsage(ports, {
      namespace: spec.namespace,
      policyNames: policy && !managed ? [...otherNames, spec.policyName] : otherNames,
      ignorePod: (pod) => isTargetPod(spec, pod),
      everywhere: { except: managed ? [`${spec.namespace}/${spec.policyName}`] : [] },
    });
    return (await usage)(groupId);
  };
  const stillUsedBy = podGroup ? await usersOf(podGroup.id) : [];

  const changes: PlannedChange[] = [];
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
    ...new Set([...(podGroup ? [podGroup.id] : []), ...existingIds, ...(managed ? policy.groupIds : [])]),
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

  if (podGroup && stillUsedBy.length > 0) {
    warnings.push(
      `The pod group ${podGroup.id} stays, with its DNS rules, because it is still used: ${stillUsedBy.join('; ')}.`,
    );
  } else if (podGroup) {
    if (clusterGroup && present.length > 0) {
      changes.push({
        system: 'tencentcloud',
        summary: `Remove the DNS rules (TCP and UDP 53 from ${podGroup.id}) from the cluster group ${clusterGroup.id}`,
        command: tccliDeleteRules(clusterGroup.id, 'ingress', present),
      });
    }
    changes.push({
      system: 'tencentcloud',
      summary: `Delete the pod security group ${podGroup.id} (${podGroup.name}) unless another group's rule refers to it`,
      command: `tccli vpc DescribeSecurityGroupReferences --SecurityGroupIds '["${podGroup.id}"]' && tccli vpc DeleteSecurityGroup --SecurityGroupId ${podGroup.id}`,
    });
  }

  // `using`: the named groups stay; what sgops wrote for each goes once nobody else uses it.
  const existingGroups: NonNullable<RevokePlan['existingGroups']> = [];
  // The `allow … to` groups' rules are read once (when a named group's rules go), not once per named group.
  let targets: Promise<TargetRules[]> | undefined;
  for (const id of existingIds) {
    const exists = (await readGroup(ports, id)) !== null;
    const users = exists ? await usersOf(id) : [];
    existingGroups.push({ id, exists, stillUsedBy: users });
    if (!exists) {
      warnings.push(`The security group ${id} named in \`using\` no longer exists.`);
      continue;
    }
    if (users.length > 0) {
      warnings.push(`The rules sgops added for ${id} stay, because it is still used: ${users.join('; ')}.`);
      continue;
    }
    const sgopsFor = (rules: Rule[]) =>
      rules.filter((r) => isSgopsRule(r) && peerGroupOf(r) === id).map(stripIndex);
    const dns = clusterRules ? sgopsFor(clusterRules.ingress) : [];
    if (clusterGroup && dns.length > 0) {
      changes.push({
        system: 'tencentcloud',
        summary: `Remove the DNS rules sgops added for ${id} from the cluster group ${clusterGroup.id}`,
        command: tccliDeleteRules(clusterGroup.id, 'ingress', dns),
      });
    }
    const { ruleSet } = await cloud.describeSecurityGroupPolicies(id);
    for (const direction of ['ingress', 'egress'] as const) {
      const own = ruleSet[direction].filter((r) => isSgopsRule(r)).map(stripIndex);
      if (own.length === 0) continue;
      changes.push({
        system: 'tencentcloud',
        summary: `Remove from ${id} the ${direction} rules sgops added: ${own.map(describeRule).join(', ')} (the group itself stays)`,
        command: tccliDeleteRules(id, direction, own),
      });
    }
    targets ??= readTargetRules(ports, spec.targetGroupIds ?? []);
    for (const { target, ingress } of await targets) {
      const own = sgopsFor(ingress);
      if (own.length === 0) continue;
      changes.push({
        system: 'tencentcloud',
        summary: `Remove from ${target} the ingress sgops added from ${id}: ${own.map(describeRule).join(', ')}`,
        command: tccliDeleteRules(target, 'ingress', own),
      });
    }
  }
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
      pods: pods.map((p) => ({
        name: p.name,
        node: p.nodeName,
        superNode: p.nodeName !== null && superNodes.has(p.nodeName),
        workload: podWorkload.get(p.name) ?? null,
      })),
      stillUsedBy,
      ...(existingIds.length > 0 ? { existingGroups } : {}),
      changes,
      warnings,
    },
  };
}

const stripIndex = ({ index: _index, ...rule }: Rule & { index?: number }): Rule => rule;

interface TargetRules {
  target: string;
  ingress: IndexedRule[];
}

/** The ingress rules of each `allow … to` group that still exists, in the spec's order. */
async function readTargetRules(ports: StepPorts, targetIds: readonly string[]): Promise<TargetRules[]> {
  const read: TargetRules[] = [];
  for (const target of targetIds) {
    if (!(await readGroup(ports, target))) continue;
    const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(target);
    read.push({ target, ingress: ruleSet.ingress });
  }
  return read;
}

/** Whether the service account of a service-account target carries sgops' selector label. */
async function serviceAccountLabelled(spec: RevokeSpec, ports: StepPorts): Promise<boolean> {
  if (spec.target.kind !== 'serviceAccount') return false;
  const account = await ports.cluster.getServiceAccount(spec.namespace, spec.target.serviceAccount);
  return account !== null && serviceAccountLabelKey in account.labels;
}
