/**
 * `planning`: read the world (cloud and cluster), check the seed's restrictions, and describe every
 * change to come with the tccli/kubectl line a person would type. Reads only: nothing is written.
 */
import { AppError } from '../../../src/errors.ts';
import { saidIn, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { targetText } from '../../../src/domain/target-text.ts';
import { stepError } from '../../shared/step-error.ts';
import type { Rule, SecurityGroup } from '../../../src/ports/cloud-network.ts';
import { superNodeLabel, superNodeTaintKey } from '../../../src/ports/cluster.ts';
import type { PodInfo, ServiceAccountInfo, WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { GrantContext, GrantSpec, Plan } from '../types.ts';
import type { PlannedChange } from '../../shared/planned-change.ts';
import { plannedPods } from '../../shared/planned-pods.ts';
import type { PlanningPorts, StepPorts } from '../../shared/step-ports.ts';
import { signOffsFor } from './sign-offs-for.ts';
import { fromGroup, missingRules, peerGroupOf } from '../../shared/rules/rules.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import { checkCluster } from './check-cluster.ts';
import { checkExistingGroups, checkNamedGroup, checkServiceAccount } from './check-groups.ts';
import { checkQuotas } from './check-quotas.ts';
import { kubeletRule } from './ensure-pod-group-rules.ts';
import { findPodGroup, podGroupDescription, podGroupTags } from '../../shared/groups/find-pod-group.ts';
import {
  labelledByKey,
  listTargetPods,
  podQueryOf,
  selectionPhrase,
  serviceAccountLabelKey,
} from '../../shared/pods/target-pods.ts';
import {
  describeRule,
  podGroupPlaceholder,
  tccliCreateGroup,
  tccliCreateRules,
  tccliDescribeRules,
  tccliLine,
} from '../../shared/rules/tccli-lines.ts';
import { workloadKey, workloadsOfPods } from '../../shared/pods/workloads-of-pods.ts';
import { podGroupInPlace, policyInPlace, workloadsCarrying } from './already-in-place.ts';
import type { PodGroupInPlace } from './already-in-place.ts';

export async function plan(context: GrantContext, ports: PlanningPorts): Promise<StepResult<Plan>> {
  const { spec } = context;
  const { cluster: k8s, settings } = ports;
  const cluster = await checkCluster(spec.clusterId, ports);

  const clusterGroup = await requireClusterGroup(spec.clusterId, ports);
  const using = spec.groups?.kind === 'existing' ? await checkExistingGroups(ports, spec.groups.ids) : null;
  const existing =
    spec.groups?.kind === 'named'
      ? await checkNamedGroup(spec, ports)
      : using
        ? null
        : await findPodGroup(spec, ports);
  const targetGroups = await readTargetGroups(spec, ports);
  // Before anything else is read: a group nobody owns stops the request here.
  const signoffs = signOffsFor(spec, ports, { using: using ?? [], targets: targetGroups });
  await checkQuotas(ports, {
    clusterGroupId: clusterGroup.id,
    needsNewGroup: !existing && !using,
    region: settings.region,
    dnsRuleCount: 2 * (using?.length ?? 1),
  });

  if (!(await k8s.getSecurityGroupPolicyCrd())) {
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        'The cluster does not serve the SecurityGroupPolicy resource.',
        '集群未提供 SecurityGroupPolicy 资源。',
      ),
      {
        hint: words(
          `Install the ${settings.addonName} add-on (TKE console → Add-on management) and wait until it is Succeeded.`,
          `请安装 ${settings.addonName} 组件（TKE 控制台 → 组件管理），并等待其状态为 Succeeded。`,
        ),
      },
    );
  }
  const account =
    spec.target.kind === 'serviceAccount'
      ? await checkServiceAccount(ports, spec.namespace, spec.target.serviceAccount)
      : null;
  const query = podQueryOf(spec);
  const [nodes, pods, namespace] = await Promise.all([
    k8s.listNodes(),
    listTargetPods(ports, spec.namespace, spec),
    k8s.getNamespace(spec.namespace),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const { workloads: owners, podWorkload } = await workloadsOfPods(
    spec.namespace,
    query.labelSelector,
    pods,
    ports,
  );

  // A re-grant: what an earlier grant left in place is said to be, item by item.
  const groupIds = using ? using.map((g) => g.id) : existing ? [existing.id] : null;
  const inPlace = existing && !using ? await podGroupInPlace(spec, ports, clusterGroup.id, existing) : null;
  const policyThere = groupIds !== null && (await policyInPlace(spec, ports, groupIds));
  const carrying = groupIds ? workloadsCarrying(pods, podWorkload, groupIds) : new Set<string>();

  const changes: PlannedChange[] = using
    ? await existingGroupChanges(spec, ports, clusterGroup.id, using)
    : podGroupChanges(spec, settings.region, clusterGroup.id, existing, inPlace);
  changes.push(...kubernetesChanges(spec, { namespace, account, using, owners, policyThere, carrying }));

  const { workloads, warnings } = podWarnings(spec, pods, owners);

  return {
    status: 'done',
    output: {
      cluster: { id: cluster.id, name: cluster.name, version: cluster.version, vpcId: cluster.vpcId },
      clusterGroupId: clusterGroup.id,
      existingPodGroupId: existing?.id ?? null,
      ...(using ? { existingGroupIds: using.map((g) => g.id) } : {}),
      workloads,
      pods: plannedPods(pods, superNodes, podWorkload),
      changes,
      warnings,
      signoffs,
    },
  };
}

/** The cluster group (`tke-worker-security-for-<cluster>`): DNS rules go into it, kubelet checks come from it. */
async function requireClusterGroup(clusterId: string, ports: StepPorts): Promise<SecurityGroup> {
  const clusterGroupName = ports.settings.clusterGroupName(clusterId);
  const { groups } = await ports.cloud.describeSecurityGroups({ name: clusterGroupName });
  const clusterGroup = groups.find((g) => g.name === clusterGroupName);
  if (!clusterGroup) {
    const describe = tccliLine(ports.settings.region, 'vpc', 'DescribeSecurityGroups', {
      Filters: [{ Name: 'security-group-name', Values: [clusterGroupName] }],
    });
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `The cluster security group ${clusterGroupName} was not found.`,
        `找不到集群安全组 ${clusterGroupName}。`,
      ),
      { hint: words(`Check it exists: ${describe}`, `请确认它存在：${describe}`) },
    );
  }
  return clusterGroup;
}

/** The groups named in `allow … to`, all of which must exist. */
async function readTargetGroups(spec: GrantSpec, ports: StepPorts): Promise<SecurityGroup[]> {
  const targets = (spec.targetGroups ?? []).map((g) => g.securityGroupId);
  if (targets.length === 0) return [];
  return ports.cloud
    .describeSecurityGroups({ ids: targets })
    .then(({ groups: found }) => found)
    .catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CLOUD_NOT_FOUND') {
        const describe = tccliLine(ports.settings.region, 'vpc', 'DescribeSecurityGroups', {
          SecurityGroupIds: targets,
        });
        throw stepError(
          'PRECONDITION_FAILED',
          words(
            `A security group named in "allow … to" does not exist: ${targets.join(', ')}.`,
            `“允许 … 到” 中指定的安全组不存在：${targets.join(', ')}。`,
          ),
          {
            hint: words(
              `Check the ids (${describe}) and ask again.`,
              `请核对安全组 ID（${describe}）后重新申请。`,
            ),
          },
        );
      }
      throw error;
    });
}

/** The Kubernetes side: the namespace, the account's selector label, the policy, the restarts. */
function kubernetesChanges(
  spec: GrantSpec,
  found: {
    namespace: unknown;
    account: ServiceAccountInfo | null;
    using: SecurityGroup[] | null;
    owners: WorkloadInfo[];
    policyThere: boolean;
    carrying: Set<string>;
  },
): PlannedChange[] {
  const { namespace, account, using, owners, policyThere, carrying } = found;
  const changes: PlannedChange[] = [];
  if (!namespace) {
    changes.push({
      system: 'kubernetes',
      summary: words(`Create namespace ${spec.namespace}`, `创建命名空间 ${spec.namespace}`),
      command: `kubectl create namespace ${spec.namespace}`,
    });
  }
  if (spec.target.kind === 'serviceAccount' && account) {
    const sa = spec.target.serviceAccount;
    if (account.labels[serviceAccountLabelKey] !== sa) {
      changes.push({
        system: 'kubernetes',
        summary: words(
          `Label ServiceAccount ${sa} ${serviceAccountLabelKey}=${sa}, the label the policy's serviceAccountSelector selects`,
          `为服务账号 ${sa} 加标签 ${serviceAccountLabelKey}=${sa}，即策略的 serviceAccountSelector 所选的标签`,
        ),
        command: `kubectl label serviceaccount ${sa} -n ${spec.namespace} --overwrite ${serviceAccountLabelKey}=${sa} ${labelledByKey}=${spec.requestId}`,
      });
    }
  }
  const selects = selectionPhrase(spec);
  const withGroups = using
    ? words(`the groups ${using.map((g) => g.id).join(', ')}`, `安全组 ${using.map((g) => g.id).join(', ')}`)
    : words('the pod group', 'Pod 安全组');
  changes.push({
    system: 'kubernetes',
    summary: words(
      `Apply SecurityGroupPolicy ${spec.policyName} selecting ${selects.en} with ${withGroups.en}`,
      `应用 SecurityGroupPolicy ${spec.policyName}，为 ${selects.zh} 绑定 ${withGroups.zh}`,
    ),
    command: `kubectl apply -n ${spec.namespace} -f ${spec.policyName}.yaml`,
  });
  if (policyThere) {
    changes[changes.length - 1] = {
      system: 'kubernetes',
      summary: words(
        `SecurityGroupPolicy ${spec.policyName} already selects ${selects.en} with ${withGroups.en}`,
        `SecurityGroupPolicy ${spec.policyName} 已为 ${selects.zh} 绑定 ${withGroups.zh}`,
      ),
      command: `kubectl get securitygrouppolicy ${spec.policyName} -n ${spec.namespace} -o yaml`,
      inPlace: true,
    };
  }
  for (const w of owners) {
    changes.push(
      carrying.has(workloadKey(w))
        ? {
            system: 'kubernetes',
            summary: words(
              `${w.kind} ${w.name}: every pod already carries the group; no restart`,
              `${w.kind} ${w.name}：所有 Pod 已带有该安全组，无需重启`,
            ),
            command: `kubectl get pods -n ${spec.namespace} -l ${podQueryOf(spec).labelSelector} -o wide`,
            inPlace: true,
          }
        : {
            system: 'kubernetes',
            summary: words(
              `Restart ${w.kind} ${w.name} so its pods are recreated with the group`,
              `重启 ${w.kind} ${w.name}，使其 Pod 重建后带上该安全组`,
            ),
            command: `kubectl rollout restart ${w.kind.toLowerCase()}/${w.name} -n ${spec.namespace}`,
          },
    );
  }
  return changes;
}

/** What the plan warns of about the pods: none yet, workloads not pinned to super nodes, bare pods. */
function podWarnings(
  spec: GrantSpec,
  pods: PodInfo[],
  owners: WorkloadInfo[],
): { workloads: Plan['workloads']; warnings: Words[] } {
  const warnings: Words[] = [];
  if (pods.length === 0) {
    const app = spec.target.kind === 'app';
    const selector = podQueryOf(spec).labelSelector;
    warnings.push(
      words(
        `No pod in ${spec.namespace} matches ${app ? selector : targetText(spec.target, 'en')} yet; the policy will apply to pods created later.`,
        `命名空间 ${spec.namespace} 中还没有匹配 ${app ? selector : targetText(spec.target, 'zh')} 的 Pod；策略将作用于之后创建的 Pod。`,
      ),
    );
  }
  const workloads = owners.map((w) => {
    const onSuper = schedulesToSuperNodes(w);
    const patch = onSuper ? null : superNodePatch(w, spec.namespace);
    if (!onSuper) {
      warnings.push(
        words(
          `${w.kind} ${w.name} is not pinned to super nodes; its pods will not get security groups. Fix: ${patch}`,
          `${w.kind} ${w.name} 未固定调度到超级节点，其 Pod 将无法获得安全组。处理方法：${patch}`,
        ),
      );
    }
    return { kind: w.kind, name: w.name, superNodeScheduling: onSuper, patch };
  });
  const bare = pods.filter((p) => p.owners.length === 0);
  for (const p of bare)
    warnings.push(
      words(
        `Pod ${p.name} has no owning workload; sgops will not delete it. Recreate it yourself.`,
        `Pod ${p.name} 不属于任何工作负载，sgops 不会删除它，请自行重建。`,
      ),
    );
  return { workloads, warnings };
}

/** sgops' own pod group (new or reused): create it, DNS, its rules, and `allow … to sg-x`. */
function podGroupChanges(
  spec: GrantSpec,
  region: string,
  clusterGroupId: string,
  existing: SecurityGroup | null,
  inPlace: PodGroupInPlace | null,
) {
  const podGroupRef = existing ? existing.id : podGroupPlaceholder;
  // A rule already in the group is listed as such, with the line that shows it.
  const there = (change: PlannedChange, present: boolean | undefined, groupId: string): PlannedChange =>
    present
      ? {
          ...change,
          summary: words(
            `${saidIn(change.summary, 'en')}: already in place`,
            `${saidIn(change.summary, 'zh')}：已就绪`,
          ),
          command: tccliDescribeRules(region, groupId),
          inPlace: true,
        }
      : change;
  const changes: PlannedChange[] = [];
  if (!existing) {
    changes.push({
      system: 'tencentcloud',
      summary:
        spec.groups?.kind === 'named'
          ? words(
              `Create security group ${spec.podGroupName} for the pods (shared by the grants that name it); the lines below call its id ${podGroupPlaceholder}`,
              `为 Pod 创建安全组 ${spec.podGroupName}（由指定该组名的授权共享）；下面的命令以 ${podGroupPlaceholder} 代指其 ID`,
            )
          : words(
              `Create security group ${spec.podGroupName} for the pods; the lines below call its id ${podGroupPlaceholder}`,
              `为 Pod 创建安全组 ${spec.podGroupName}；下面的命令以 ${podGroupPlaceholder} 代指其 ID`,
            ),
      command: tccliCreateGroup(region, {
        name: spec.podGroupName,
        description: podGroupDescription(spec),
        tags: podGroupTags(spec),
      }),
    });
  }
  const self = fromGroup(podGroupRef, 'ALL', 'ALL', '');
  changes.push(
    there(
      {
        system: 'tencentcloud',
        summary: words(
          `Allow DNS (TCP and UDP 53) from the pod group into the cluster group ${clusterGroupId}`,
          `允许 Pod 安全组访问集群安全组 ${clusterGroupId} 的 DNS（TCP 和 UDP 53）`,
        ),
        command: tccliCreateRules(region, clusterGroupId, 'ingress', dnsRules(podGroupRef, spec.requestId)),
      },
      inPlace?.dns,
      clusterGroupId,
    ),
    there(
      {
        system: 'tencentcloud',
        summary: words(
          `Pod group ingress: everything from itself and from the cluster group ${clusterGroupId} (kubelet health checks)`,
          `Pod 安全组入站：放通来自自身和集群安全组 ${clusterGroupId} 的全部流量（kubelet 健康检查）`,
        ),
        command: tccliCreateRules(region, podGroupRef, 'ingress', [
          self,
          kubeletRule(clusterGroupId, spec.requestId),
        ]),
      },
      inPlace?.ingress,
      podGroupRef,
    ),
    there(
      {
        system: 'tencentcloud',
        summary: words(
          `Pod group egress: ${spec.egress.map((r) => `${r.protocol} ${r.port} to ${peerOf(r)}`).join(', ')}`,
          `Pod 安全组出站：${spec.egress.map((r) => `${r.protocol} ${r.port} 到 ${peerOf(r)}`).join('，')}`,
        ),
        command: tccliCreateRules(region, podGroupRef, 'egress', spec.egress),
      },
      inPlace?.egress,
      podGroupRef,
    ),
  );
  if ((spec.extraIngress ?? []).length > 0) {
    changes.push(
      there(
        {
          system: 'tencentcloud',
          summary: words(
            `Pod group ingress as asked: ${spec.extraIngress!.map(describeRule).join(', ')}`,
            `按申请添加的 Pod 安全组入站规则：${spec.extraIngress!.map(describeRule).join(', ')}`,
          ),
          command: tccliCreateRules(region, podGroupRef, 'ingress', spec.extraIngress!),
        },
        inPlace?.extraIngress,
        podGroupRef,
      ),
    );
  }
  changes.push(...targetGroupChanges(spec, region, podGroupRef));
  return changes;
}

/**
 * `using`: no group is made; DNS from each named group, the kubelet health checks into each
 * named group that lacks them, and `allow` rules on the first named group. Only what is missing
 * is written, so only that is listed (and only that is undone later).
 */
async function existingGroupChanges(
  spec: GrantSpec,
  ports: StepPorts,
  clusterGroupId: string,
  groups: SecurityGroup[],
): Promise<PlannedChange[]> {
  const ids = groups.map((g) => g.id);
  const { region } = ports.settings;
  const first = ids[0]!;
  const changes: PlannedChange[] = [];
  const { ruleSet: clusterRules } = await ports.cloud.describeSecurityGroupPolicies(clusterGroupId);
  const dns = missingRules(
    clusterRules.ingress,
    ids.flatMap((id) => dnsRules(id, spec.requestId)),
  );
  changes.push(
    dns.length > 0
      ? {
          system: 'tencentcloud',
          summary: words(
            `Allow DNS (TCP and UDP 53) from ${ids.join(', ')} into the cluster group ${clusterGroupId}`,
            `允许 ${ids.join(', ')} 访问集群安全组 ${clusterGroupId} 的 DNS（TCP 和 UDP 53）`,
          ),
          command: tccliCreateRules(region, clusterGroupId, 'ingress', dns),
        }
      : {
          system: 'tencentcloud',
          summary: words(
            `The cluster group ${clusterGroupId} already admits DNS from ${ids.join(', ')}: nothing to add`,
            `集群安全组 ${clusterGroupId} 已放通来自 ${ids.join(', ')} 的 DNS，无需添加`,
          ),
          command: tccliDescribeRules(region, clusterGroupId),
          inPlace: true,
        },
  );
  for (const id of ids) {
    const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(id);
    const ingress = missingRules(ruleSet.ingress, [
      kubeletRule(clusterGroupId, spec.requestId),
      ...(id === first ? (spec.extraIngress ?? []) : []),
    ]);
    const egress = id === first ? missingRules(ruleSet.egress, spec.egress) : [];
    if (ingress.length === 0 && egress.length === 0) {
      changes.push({
        system: 'tencentcloud',
        summary: words(
          `${id} already has the rules this grant needs (kubelet health checks from ${clusterGroupId}): left as it is`,
          `${id} 已有本次授权所需的规则（来自 ${clusterGroupId} 的 kubelet 健康检查），保持不变`,
        ),
        command: tccliDescribeRules(region, id),
        inPlace: true,
      });
      continue;
    }
    for (const [direction, rules] of [
      ['ingress', ingress],
      ['egress', egress],
    ] as const) {
      if (rules.length === 0) continue;
      changes.push({
        system: 'tencentcloud',
        summary: words(
          `Add to ${id} ${direction}: ${rules
            .map((r) =>
              peerGroupOf(r) === clusterGroupId
                ? `${describeRule(r)} (kubelet health checks from the cluster group)`
                : describeRule(r),
            )
            .join(', ')}`,
          `向 ${id} 添加${direction === 'ingress' ? '入站' : '出站'}规则：${rules
            .map((r) =>
              peerGroupOf(r) === clusterGroupId
                ? `${describeRule(r)}（来自集群安全组的 kubelet 健康检查）`
                : describeRule(r),
            )
            .join('，')}`,
        ),
        command: tccliCreateRules(region, id, direction, rules),
      });
    }
  }
  changes.push(...targetGroupChanges(spec, region, first));
  return changes;
}

function targetGroupChanges(spec: GrantSpec, region: string, peerGroup: string): PlannedChange[] {
  return (spec.targetGroups ?? []).map((target) => {
    const rules: Rule[] = target.rules.map((r) => ({ ...r, peer: { securityGroupId: peerGroup } }));
    const ports = target.rules.map((r) => `${r.protocol} ${r.port}`).join(', ');
    return {
      system: 'tencentcloud' as const,
      summary: words(
        `${target.securityGroupId} admits ${peerGroup === podGroupPlaceholder ? 'the pod group' : peerGroup} on ${ports} (ahead of any DROP rule)`,
        `${target.securityGroupId} 放通${peerGroup === podGroupPlaceholder ? ' Pod 安全组' : ` ${peerGroup}`} 的 ${ports}（排在所有 DROP 规则之前）`,
      ),
      command: tccliCreateRules(region, target.securityGroupId, 'ingress', rules),
    };
  });
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

const peerOf = (r: Rule) => ('cidr' in r.peer ? r.peer.cidr : r.peer.securityGroupId);
