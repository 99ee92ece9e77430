/**
 * `planning` of a repair: what the grant's approval made (approvedState of the record copied when
 * the repair was asked), what the world holds of it now (readObserved), what differs (findDrift)
 * and what writes put it back (restorePlan) — each with the tccli/kubectl line a person would type.
 * Rules added outside sgops are listed as left in place; pods on a normal node are warned about,
 * since restarting them cannot help. Reads only: nothing is written.
 */
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import { approvedState } from '../../shared/drift/approved-state.ts';
import type { ApprovedState } from '../../shared/drift/approved-state.ts';
import type { DriftItem } from '../../shared/drift/drift-item.ts';
import { groupWords, ruleWords } from '../../shared/drift/drift-words.ts';
import { findDrift, restorePlan } from '../../shared/drift/find-drift.ts';
import { readObserved } from '../../shared/drift/read-observed.ts';
import { findCluster } from '../../shared/find-cluster.ts';
import type { PlannedChange } from '../../shared/planned-change.ts';
import { plannedPods } from '../../shared/planned-pods.ts';
import { labelledByKey, listTargetPods, podQueryOf } from '../../shared/pods/target-pods.ts';
import { workloadsOfPods } from '../../shared/pods/workloads-of-pods.ts';
import { ruleKey } from '../../shared/rules/rules.ts';
import { tccliCreateRules } from '../../shared/rules/tccli-lines.ts';
import { stepError } from '../../shared/step-error.ts';
import type { PlanningPorts } from '../../shared/step-ports.ts';
import { repairSignOffs } from './repair-sign-offs.ts';
import type { RepairContext, RepairPlan } from '../types.ts';

export async function planRepair(
  context: RepairContext,
  ports: PlanningPorts,
): Promise<StepResult<RepairPlan>> {
  const { spec } = context;
  const approved = approvedStateOf(context);
  const cluster = await findCluster(spec.clusterId, ports);
  const items = findDrift(approved, await readObserved(ports, { clusterId: spec.clusterId, spec }, approved));
  const found = restorePlan(approved, items);
  // A restart brings a pod on a normal node back on a normal node: that takes pinning the workload.
  const normalNode = new Set(
    items.flatMap((i) => (i.kind === 'podWithoutGroup' && !i.superNode ? [i.pod] : [])),
  );
  const restore = { ...found, recreatePods: found.recreatePods.filter((p) => !normalNode.has(p)) };

  const { labelSelector } = podQueryOf(spec);
  const [nodes, pods] = await Promise.all([
    ports.cluster.listNodes(),
    listTargetPods(ports, spec.namespace, spec),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const { workloads, podWorkload } = await workloadsOfPods(spec.namespace, labelSelector, pods, ports);

  const changes: PlannedChange[] = [];
  const region = ports.settings.region;
  for (const entry of restore.rules) {
    const group = groupWords(entry.groupId, rolesOf(approved, entry.groupId));
    const what = joinWords(
      entry.rules.map((rule) => ruleWords(rule, entry.direction, purposeOf(items, entry.groupId, rule))),
      ', ',
    );
    changes.push({
      system: 'tencentcloud',
      summary: words(`Put back in ${group.en}: ${what.en}`, `在${group.zh}中恢复：${what.zh}`),
      command: tccliCreateRules(region, entry.groupId, entry.direction, entry.rules),
    });
  }
  const { namespace, name, groupIds } = approved.policy;
  if (restore.applyPolicy)
    changes.push({
      system: 'kubernetes',
      summary: words(
        `Re-apply SecurityGroupPolicy ${name} in ${namespace} as approved (groups ${groupIds.join(', ')})`,
        `按批准时的内容重新应用命名空间 ${namespace} 中的 SecurityGroupPolicy ${name}（安全组 ${groupIds.join(', ')}）`,
      ),
      command: `kubectl apply -n ${namespace} -f ${name}.yaml`,
    });
  const label = approved.serviceAccountLabel;
  if (restore.labelServiceAccount && label)
    changes.push({
      system: 'kubernetes',
      summary: words(
        `Put the label ${label.key}=${label.value} back on ServiceAccount ${label.serviceAccount}`,
        `为服务账号 ${label.serviceAccount} 恢复标签 ${label.key}=${label.value}`,
      ),
      command: `kubectl label serviceaccount ${label.serviceAccount} -n ${namespace} --overwrite ${label.key}=${label.value} ${labelledByKey}=${spec.grantRequestId}`,
    });
  const restarting = [
    ...new Set(restore.recreatePods.flatMap((pod) => (podWorkload.has(pod) ? [podWorkload.get(pod)!] : []))),
  ];
  for (const key of restarting) {
    const [kind = '', workload = ''] = key.split('/');
    changes.push({
      system: 'kubernetes',
      summary: words(
        `Restart ${key} so its pods without the group are recreated with it`,
        `滚动重启 ${key}，使没有安全组的 Pod 带上安全组重建`,
      ),
      command: `kubectl rollout restart ${kind.toLowerCase()}/${workload} -n ${namespace}`,
    });
  }

  const warnings: Words[] = [
    ...restore.leftInPlace.map((item) =>
      words(
        `${item.said.en} It is left in place for a person to judge; repair never removes a rule sgops did not write.`,
        `${item.said.zh} 该规则保留不动，由人工判断；修复不会删除非 sgops 写入的规则。`,
      ),
    ),
    ...items.flatMap((i) =>
      i.kind === 'podWithoutGroup' && !i.superNode
        ? [
            words(
              `Pod ${i.pod} runs on ${i.node ?? 'no node'}, not a super node: its workload must be pinned to super nodes (nodeSelector and toleration), which repair cannot do.`,
              `Pod ${i.pod} 运行在 ${i.node ?? '（无节点）'} 上，不是超级节点：需要将其工作负载固定到超级节点（nodeSelector 和容忍），修复无法代为完成。`,
            ),
          ]
        : [],
    ),
    ...restore.groupsGone.map((id) =>
      words(
        `Security group ${id} no longer exists; no repair brings it back — revoke and grant again.`,
        `安全组 ${id} 已不存在，修复无法恢复它——请撤销后重新授权。`,
      ),
    ),
  ];
  const nothingToRepair =
    restore.rules.length === 0 &&
    !restore.applyPolicy &&
    !restore.labelServiceAccount &&
    restore.recreatePods.length === 0;
  const signoffs = nothingToRepair ? [] : await repairSignOffs(spec, approved, restore, ports);
  return {
    status: 'done',
    output: {
      cluster: { id: cluster.id, name: cluster.name, version: cluster.version, vpcId: cluster.vpcId },
      clusterGroupId: approved.clusterGroupId,
      existingPodGroupId: null,
      workloads: workloads.map((w) => ({ kind: w.kind, name: w.name })),
      pods: plannedPods(pods, superNodes, podWorkload),
      drift: items.map(({ key, said }) => ({ key, said })),
      restore,
      changes,
      warnings,
      signoffs,
      nothingToRepair,
    },
  };
}

/** The grant's approved state from the record the repair copied; a record without one cannot be repaired. */
export function approvedStateOf(context: RepairContext): ApprovedState {
  const approved = approvedState(context.spec.approval);
  if (approved) return approved;
  throw stepError(
    'PRECONDITION_FAILED',
    words(
      `Grant ${context.spec.grantRequestId} never applied its policy: there is nothing approved to put back.`,
      `授权 ${context.spec.grantRequestId} 从未应用其策略：没有可恢复的批准状态。`,
    ),
  );
}

const rolesOf = (approved: ApprovedState, groupId: string) =>
  approved.groups.find((g) => g.id === groupId)?.roles ?? [];

function purposeOf(items: readonly DriftItem[], groupId: string, rule: Parameters<typeof ruleKey>[0]) {
  const key = ruleKey(rule);
  const item = items.find(
    (i) => i.kind === 'ruleMissing' && i.groupId === groupId && ruleKey(i.rule) === key,
  );
  return item?.kind === 'ruleMissing' ? item.purpose : undefined;
}
