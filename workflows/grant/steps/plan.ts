/**
 * `planning`: read the world (cloud and cluster), check the seed's restrictions, and describe every
 * change to come with the tccli/kubectl line a person would type. Reads only: nothing is written.
 */
import { AppError } from '../../../src/errors.ts';
import { superNodeLabel, superNodeTaintKey } from '../../../src/ports/cluster.ts';
import type { WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { GrantContext, Plan, PlannedChange } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { checkCluster } from './check-cluster.ts';
import { checkQuotas } from './check-quotas.ts';
import { findPodGroup, podGroupDescription, podGroupTags } from './find-pod-group.ts';
import { selectorString, workloadsOfPods } from './workloads-of-pods.ts';

export async function plan(context: GrantContext, ports: StepPorts): Promise<StepResult<Plan>> {
  const { spec } = context;
  const { cloud, cluster: k8s, settings } = ports;
  const cluster = await checkCluster(spec.clusterId, ports);

  const clusterGroupName = settings.clusterGroupName(spec.clusterId);
  const { groups } = await cloud.describeSecurityGroups({ name: clusterGroupName });
  const clusterGroup = groups.find((g) => g.name === clusterGroupName);
  if (!clusterGroup) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `The cluster security group ${clusterGroupName} was not found.`,
      {
        hint: `Check it exists: tccli vpc DescribeSecurityGroups --Filters.0.Name security-group-name --Filters.0.Values ${clusterGroupName}`,
      },
    );
  }
  const existing = await findPodGroup(spec, ports);
  const targets = (spec.targetGroups ?? []).map((g) => g.securityGroupId);
  if (targets.length > 0) {
    await cloud.describeSecurityGroups({ ids: targets }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CLOUD_NOT_FOUND') {
        throw new AppError(
          'PRECONDITION_FAILED',
          `A security group named in "allow … to" does not exist: ${targets.join(', ')}.`,
          {
            hint: 'Check the id (tccli vpc DescribeSecurityGroups --SecurityGroupIds …) and ask again.',
          },
        );
      }
      throw error;
    });
  }
  await checkQuotas(ports, {
    clusterGroupId: clusterGroup.id,
    needsNewGroup: !existing,
    region: settings.region,
  });

  if (!(await k8s.getSecurityGroupPolicyCrd())) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'The cluster does not serve the SecurityGroupPolicy resource.',
      {
        hint: `Install the ${settings.addonName} add-on (TKE console → Add-on management) and wait until it is Succeeded.`,
      },
    );
  }
  const selector = selectorString(spec.podSelector);
  const [nodes, pods, namespace] = await Promise.all([
    k8s.listNodes(),
    k8s.listPods(spec.namespace, selector),
    k8s.getNamespace(spec.namespace),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const { workloads: owners, podWorkload } = await workloadsOfPods(spec.namespace, selector, pods, ports);

  const podGroupRef = existing ? existing.id : '$POD_SG';
  const changes: PlannedChange[] = [];
  if (!existing) {
    changes.push({
      system: 'tencentcloud',
      summary: `Create security group ${spec.podGroupName} for the pods`,
      command: `tccli vpc CreateSecurityGroup --GroupName ${spec.podGroupName} --GroupDescription "${podGroupDescription(spec)}" ${Object.entries(
        podGroupTags(spec),
      )
        .map(([k, v], i) => `--Tags.${i}.Key ${k} --Tags.${i}.Value ${v}`)
        .join(' ')}`,
    });
  }
  changes.push(
    {
      system: 'tencentcloud',
      summary: `Allow DNS (TCP and UDP 53) from the pod group into the cluster group ${clusterGroup.id}`,
      command: ['UDP', 'TCP']
        .map(
          (p, i) =>
            `--SecurityGroupPolicySet.Ingress.${i}.Protocol ${p} --SecurityGroupPolicySet.Ingress.${i}.Port 53 --SecurityGroupPolicySet.Ingress.${i}.SecurityGroupId ${podGroupRef} --SecurityGroupPolicySet.Ingress.${i}.Action ACCEPT`,
        )
        .reduce(
          (cmd, part) => `${cmd} ${part}`,
          `tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${clusterGroup.id}`,
        ),
    },
    {
      system: 'tencentcloud',
      summary: `Pod group ingress: everything from itself and from the cluster group ${clusterGroup.id} (kubelet health checks)`,
      command: `tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${podGroupRef} --SecurityGroupPolicySet.Ingress.0.Protocol ALL --SecurityGroupPolicySet.Ingress.0.Port ALL --SecurityGroupPolicySet.Ingress.0.SecurityGroupId ${podGroupRef} --SecurityGroupPolicySet.Ingress.0.Action ACCEPT --SecurityGroupPolicySet.Ingress.1.Protocol ALL --SecurityGroupPolicySet.Ingress.1.Port ALL --SecurityGroupPolicySet.Ingress.1.SecurityGroupId ${clusterGroup.id} --SecurityGroupPolicySet.Ingress.1.Action ACCEPT`,
    },
    {
      system: 'tencentcloud',
      summary: `Pod group egress: ${spec.egress.map((r) => `${r.protocol} ${r.port} to ${'cidr' in r.peer ? r.peer.cidr : r.peer.securityGroupId}`).join(', ')}`,
      command: `tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${podGroupRef} ${spec.egress
        .map(
          (r, i) =>
            `--SecurityGroupPolicySet.Egress.${i}.Protocol ${r.protocol} --SecurityGroupPolicySet.Egress.${i}.Port ${r.port} --SecurityGroupPolicySet.Egress.${i}.${'cidr' in r.peer ? `CidrBlock ${r.peer.cidr}` : `SecurityGroupId ${r.peer.securityGroupId}`} --SecurityGroupPolicySet.Egress.${i}.Action ${r.action}`,
        )
        .join(' ')}`,
    },
  );
  for (const target of spec.targetGroups ?? []) {
    changes.push({
      system: 'tencentcloud',
      summary: `${target.securityGroupId} admits the pod group on ${target.rules.map((r) => `${r.protocol} ${r.port}`).join(', ')} (ahead of any DROP rule)`,
      command: `tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${target.securityGroupId} ${target.rules
        .map(
          (r, i) =>
            `--SecurityGroupPolicySet.Ingress.${i}.Protocol ${r.protocol} --SecurityGroupPolicySet.Ingress.${i}.Port ${r.port} --SecurityGroupPolicySet.Ingress.${i}.SecurityGroupId ${podGroupRef} --SecurityGroupPolicySet.Ingress.${i}.Action ACCEPT`,
        )
        .join(' ')}`,
    });
  }
  if (!namespace) {
    changes.push({
      system: 'kubernetes',
      summary: `Create namespace ${spec.namespace}`,
      command: `kubectl create namespace ${spec.namespace}`,
    });
  }
  changes.push({
    system: 'kubernetes',
    summary: `Apply SecurityGroupPolicy ${spec.policyName} selecting ${selector} with the pod group`,
    command: `kubectl apply -n ${spec.namespace} -f ${spec.policyName}.yaml`,
  });
  for (const w of owners) {
    changes.push({
      system: 'kubernetes',
      summary: `Restart ${w.kind} ${w.name} so its pods are recreated with the group`,
      command: `kubectl rollout restart ${w.kind.toLowerCase()}/${w.name} -n ${spec.namespace}`,
    });
  }

  const warnings: string[] = [];
  if (pods.length === 0) {
    warnings.push(
      `No pod in ${spec.namespace} matches ${selector} yet; the policy will apply to pods created later.`,
    );
  }
  const workloads = owners.map((w) => {
    const onSuper = schedulesToSuperNodes(w);
    const patch = onSuper ? null : superNodePatch(w, spec.namespace);
    if (!onSuper) {
      warnings.push(
        `${w.kind} ${w.name} is not pinned to super nodes; its pods will not get security groups. Fix: ${patch}`,
      );
    }
    return { kind: w.kind, name: w.name, superNodeScheduling: onSuper, patch };
  });
  const bare = pods.filter((p) => p.owners.length === 0);
  for (const p of bare)
    warnings.push(`Pod ${p.name} has no owning workload; sgops will not delete it. Recreate it yourself.`);

  return {
    status: 'done',
    output: {
      cluster: { id: cluster.id, name: cluster.name, version: cluster.version, vpcId: cluster.vpcId },
      clusterGroupId: clusterGroup.id,
      existingPodGroupId: existing?.id ?? null,
      workloads,
      pods: pods.map((p) => ({
        name: p.name,
        node: p.nodeName,
        superNode: p.nodeName !== null && superNodes.has(p.nodeName),
        workload: podWorkload.get(p.name) ?? null,
      })),
      changes,
      warnings,
    },
  };
}

function schedulesToSuperNodes(d: WorkloadInfo): boolean {
  const pinned = d.template.nodeSelector[superNodeLabel.key] === superNodeLabel.value;
  const tolerates = d.template.tolerations.some(
    (t) =>
      (t.key === superNodeTaintKey &&
        (t.operator === 'Exists' || t.operator === 'Equal' || t.operator === undefined)) ||
      (t.key === undefined && t.operator === 'Exists'),
  );
  return pinned && tolerates;
}

export function superNodePatch(workload: Pick<WorkloadInfo, 'kind' | 'name'>, namespace: string): string {
  const body = {
    spec: {
      template: {
        spec: {
          nodeSelector: { [superNodeLabel.key]: superNodeLabel.value },
          tolerations: [{ key: superNodeTaintKey, operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
    },
  };
  return `kubectl patch ${workload.kind.toLowerCase()} ${workload.name} -n ${namespace} --type merge -p '${JSON.stringify(body)}'`;
}
