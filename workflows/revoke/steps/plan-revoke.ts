/**
 * `planning` of a revoke: read what exists (the app's policy, its pod group, the DNS rules in the
 * cluster group, the pods and their workloads, who else uses the group) and describe each removal
 * with the tccli/kubectl line a person would type. Reads only: nothing is written.
 */
import { AppError } from '../../../src/errors.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { PlannedChange } from '../../grant/types.ts';
import type { StepPorts } from '../../grant/step-ports.ts';
import { sameRule } from '../../grant/rules.ts';
import { dnsRules } from '../../grant/steps/allow-dns.ts';
import { managedByLabel } from '../../grant/steps/apply-policy.ts';
import { selectorString, workloadKey, workloadsOfPods } from '../../grant/steps/workloads-of-pods.ts';
import type { RevokeContext, RevokePlan } from '../types.ts';
import { groupUsers } from './group-users.ts';
import { findRevokedPodGroup } from './pod-group-of.ts';

const sgpResource = 'securitygrouppolicies.vpcresources.tke.cloud.tencent.com';

export const isManagedPolicy = (labels: Record<string, string> | undefined) =>
  Object.entries(managedByLabel).every(([k, v]) => labels?.[k] === v);

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

  const policy = await k8s.getSecurityGroupPolicy(spec.namespace, spec.policyName);
  const managed = policy !== null && isManagedPolicy(policy.labels);
  const selector = selectorString(spec.podSelector);
  const [nodes, pods] = await Promise.all([k8s.listNodes(), k8s.listPods(spec.namespace, selector)]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const { workloads, podWorkload } = await workloadsOfPods(spec.namespace, selector, pods, ports);

  let present: Rule[] = [];
  if (clusterGroup && podGroup) {
    const { ruleSet } = await cloud.describeSecurityGroupPolicies(clusterGroup.id);
    const wanted = dnsRules(podGroup.id, spec.requestId);
    present = ruleSet.ingress
      .filter((r) => wanted.some((w) => sameRule(r, w)))
      .map(({ index: _index, ...rule }) => rule);
  }
  // The app's own policy goes first (when sgops manages it), and its own pods are recreated: neither counts.
  const otherNames = (spec.otherPolicyNames ?? []).filter((n) => n !== spec.policyName);
  const stillUsedBy = podGroup
    ? await groupUsers(ports, {
        namespace: spec.namespace,
        podGroupId: podGroup.id,
        policyNames: policy && !managed ? [...otherNames, spec.policyName] : otherNames,
        ignorePodsLabelled: spec.podSelector,
      })
    : [];

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
  const groupIds = [...new Set([...(podGroup ? [podGroup.id] : []), ...(managed ? policy.groupIds : [])])];
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
        command: `tccli vpc DeleteSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${clusterGroup.id} ${present
          .map(
            (r, i) =>
              `--SecurityGroupPolicySet.Ingress.${i}.Protocol ${r.protocol} --SecurityGroupPolicySet.Ingress.${i}.Port ${r.port} --SecurityGroupPolicySet.Ingress.${i}.SecurityGroupId ${podGroup.id} --SecurityGroupPolicySet.Ingress.${i}.Action ${r.action}`,
          )
          .join(' ')}`,
      });
    }
    changes.push({
      system: 'tencentcloud',
      summary: `Delete the pod security group ${podGroup.id} (${podGroup.name}) unless another group's rule refers to it`,
      command: `tccli vpc DescribeSecurityGroupReferences --SecurityGroupIds '["${podGroup.id}"]' && tccli vpc DeleteSecurityGroup --SecurityGroupId ${podGroup.id}`,
    });
  }
  if (!policy && !podGroup)
    warnings.push(
      `Nothing to revoke: there is no SecurityGroupPolicy ${spec.namespace}/${spec.policyName} and no pod group ${spec.podGroupName}.`,
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
      pods: pods.map((p) => ({
        name: p.name,
        node: p.nodeName,
        superNode: p.nodeName !== null && superNodes.has(p.nodeName),
        workload: podWorkload.get(p.name) ?? null,
      })),
      stillUsedBy,
      changes,
      warnings,
    },
  };
}
