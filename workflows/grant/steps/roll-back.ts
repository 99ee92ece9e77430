/**
 * `rollingBack`: undo, in reverse order, only what this request created or added, re-reading
 * each thing before removing it — never a group, rule or policy someone else made or still uses:
 *
 * 1. the SecurityGroupPolicy it created (its `sgops/request` label names this request), and the
 *    selector label it put on a service account (`sgops/labelled-by` names this request);
 * 2. the pods: restart the workloads whose pods carry the group, and wait (re-arming) until their
 *    rollouts finish, so no pod keeps a group the request gave it;
 * 3. the DNS rules it added to the cluster group, unless another policy or pod still uses the group;
 * 4. the rules it added to a pod group it reused, on the same condition;
 * 5. the pod group it created (its `sgops/created-by` tag), unless anything still uses or refers to it.
 *
 * With `using` there is no pod group: for each named group nobody else uses, the rules this
 * request wrote (its id is in their description) go — in the cluster group, in the named group,
 * in `allow … to` groups — and the named groups themselves always stay.
 *
 * What the request made is read from the world (labels, tags, rule descriptions), not only from
 * step outputs, so a step that wrote and then failed before its outcome was recorded is undone
 * too. Re-running changes nothing more; what stays is reported with the reason.
 */
import { AppError } from '../../../src/errors.ts';
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { describeRule } from '../../shared/rules/tccli-lines.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import { isAppError } from '../../../src/errors.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { requestLabel } from '../../shared/policy-labels.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import { findPodGroup } from '../../shared/groups/find-pod-group.ts';
import { createdByTag } from './ensure-pod-security-group.ts';
import { unlabelServiceAccount } from '../../shared/pods/label-service-account.ts';
import { labelledByKey, serviceAccountLabelKey } from '../../shared/pods/target-pods.ts';
import { deleteGroupIfUnused } from '../../shared/groups/delete-group-if-unused.ts';
import { groupUsers, readGroupUsage } from '../../shared/groups/group-users.ts';
import { readGroup } from '../../shared/groups/read-group.ts';
import { removeRules } from '../../shared/groups/remove-rules.ts';
import { removeSgopsRules } from '../../shared/groups/remove-sgops-rules.ts';
import type { RemovedRules } from '../../shared/groups/remove-sgops-rules.ts';
import { restartPodsCarrying } from '../../shared/pods/restart-pods-carrying.ts';
import type { RestartedPods } from '../../shared/pods/restart-pods-carrying.ts';
import { fixThenRetry } from '../../shared/pods/rollout-words.ts';

export async function rollBack(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ undone: Words[] }>> {
  const { spec } = context;
  const log: UndoLog = { undone: [], kept: [] };
  const policy = await undoPolicy(context, ports, log);
  const retryHint = fixThenRetry(spec.requestId, 'rollback');
  const podsCarrying = (groupIds: string[]) => {
    const stamp = context.decision?.at;
    if (!stamp)
      throw new AppError('INTERNAL', `Request ${spec.requestId} is rolling back without a decision time.`);
    const { namespace, target, podSelector } = spec;
    return restartPodsCarrying(ports, { namespace, target, podSelector, groupIds, stamp, retryHint });
  };

  const pending =
    spec.groups?.kind === 'existing'
      ? await undoExistingGroups(context, ports, { ...policy, ids: spec.groups.ids, podsCarrying }, log)
      : await undoPodGroup(context, ports, { ...policy, podsCarrying }, log);
  return pending ?? { status: 'done', output: { undone: [...log.undone, ...keptLines(log.kept)] } };
}

/** What was undone, and what stays with its reason: the step's one list says both. */
interface UndoLog {
  undone: Words[];
  kept: Words[];
}

interface Undoing {
  /** The policy as found before the rollback, and whether this request created it. */
  policy: SecurityGroupPolicyInfo | null;
  ourPolicy: boolean;
  /** Restarts the workloads whose pods carry any of the groups (stamped with the rollback's time). */
  podsCarrying: (groupIds: string[]) => Promise<StepResult<RestartedPods>>;
}

/** Pods still rolling: the step waits, and the rollback runs again from the start. */
type Pending = Extract<StepResult, { status: 'wait' }> | undefined;

/** 1. The policy, and the service account's selector label, when this request made them. */
async function undoPolicy(
  context: GrantContext,
  ports: StepPorts,
  { undone, kept }: UndoLog,
): Promise<Pick<Undoing, 'policy' | 'ourPolicy'>> {
  const { spec, outputs } = context;
  const where = `${spec.namespace}/${spec.policyName}`;
  // 1. The policy, when this request created it. One it only updated is left (its old spec is not known).
  const policy = await ports.cluster.getSecurityGroupPolicy(spec.namespace, spec.policyName);
  const ourPolicy = policy !== null && policy.labels?.[requestLabel] === spec.requestId;
  if (ourPolicy) {
    await ports.cluster.deleteSecurityGroupPolicy(spec.namespace, spec.policyName).catch(ignoreNotFound);
    undone.push(words(`deleted SecurityGroupPolicy ${where}`, `已删除 SecurityGroupPolicy ${where}`));
  } else if (outputs.applyPolicy?.created) {
    undone.push(words(`SecurityGroupPolicy ${where} is gone`, `SecurityGroupPolicy ${where} 已不存在`));
  } else if (policy && outputs.applyPolicy?.updated) {
    kept.push(
      words(
        `SecurityGroupPolicy ${where} (updated, not created, by ${spec.requestId}; its earlier spec is not recorded)`,
        `SecurityGroupPolicy ${where}（由 ${spec.requestId} 更新而非创建，其原先的 spec 没有记录）`,
      ),
    );
  }
  // The service account's selector label, when this request put it there.
  if (spec.target.kind === 'serviceAccount') {
    const account = { namespace: spec.namespace, serviceAccount: spec.target.serviceAccount };
    const before = await ports.cluster.getServiceAccount(account.namespace, account.serviceAccount);
    if (before?.labels[labelledByKey] === spec.requestId) {
      await unlabelServiceAccount(ports, { ...account, onlyIf: spec.requestId });
      const sa = `${account.namespace}/${account.serviceAccount}`;
      undone.push(
        words(
          `removed the labels ${serviceAccountLabelKey} and ${labelledByKey} from ServiceAccount ${sa}`,
          `已从服务账号 ${sa} 移除标签 ${serviceAccountLabelKey} 和 ${labelledByKey}`,
        ),
      );
    }
  }
  return { policy, ourPolicy };
}

/** `using`: the pods, then what this request wrote for each named group nobody else uses; the groups stay. */
async function undoExistingGroups(
  context: GrantContext,
  ports: StepPorts,
  { policy, ourPolicy, ids, podsCarrying }: Undoing & { ids: string[] },
  { undone, kept }: UndoLog,
): Promise<Pending> {
  const { spec, outputs } = context;
  // 2. The pods, unless a policy that stays still gives them the groups.
  if (!(policy !== null && !ourPolicy && ids.some((id) => policy.groupIds.includes(id)))) {
    const pods = await podsCarrying(ids);
    if (pods.status === 'wait') return pods;
    reportPods(pods.output, undone, kept);
  }
  // 3–4. What this request wrote for each named group nobody else uses; the groups stay.
  const clusterGroupId = outputs.planning?.clusterGroupId;
  const targets = (spec.targetGroups ?? []).map((t) => t.securityGroupId);
  // Who uses the groups is read once (the removals below touch no policy and no pod).
  const usersOf =
    ids.length > 0
      ? await readGroupUsage(ports, {
          namespace: spec.namespace,
          policyNames: [spec.policyName],
          everywhere: { except: [] },
        })
      : () => [];
  for (const id of ids) {
    const users = usersOf(id);
    if (users.length > 0) {
      kept.push(
        ...users.map((u) =>
          words(
            `the rules ${spec.requestId} added for ${id}: ${u.en}`,
            `${spec.requestId} 为 ${id} 添加的规则：${u.zh}`,
          ),
        ),
      );
      continue;
    }
    const removed: RemovedRules[] = [
      ...(clusterGroupId
        ? await removeSgopsRules(ports, clusterGroupId, { requestId: spec.requestId, peer: [id] })
        : []),
      ...(await removeSgopsRules(ports, id, { requestId: spec.requestId })),
    ];
    for (const target of targets)
      removed.push(...(await removeSgopsRules(ports, target, { requestId: spec.requestId, peer: [id] })));
    for (const r of removed) undone.push(describeRemoved(r.rules, r.securityGroupId, r.direction));
  }
  kept.push(
    ...ids.map((id) =>
      words(
        `security group ${id} (named in \`using\`: not sgops' to delete)`,
        `安全组 ${id}（由 \`使用\` 指定，不归 sgops 删除）`,
      ),
    ),
  );
  return undefined;
}

/** sgops' pod group: the pods, its DNS rules, the rules it added to the group, then the group. */
async function undoPodGroup(
  context: GrantContext,
  ports: StepPorts,
  { policy, ourPolicy, podsCarrying }: Undoing,
  { undone, kept }: UndoLog,
): Promise<Pending> {
  const { spec, outputs } = context;
  // The pod group: the one the steps recorded, else the one found by name and tags.
  const podGroupId =
    outputs.ensurePodSecurityGroup?.podGroupId ?? (await findPodGroup(spec, ports))?.id ?? null;
  if (podGroupId === null) return undefined;
  const group = await readGroup(ports, podGroupId);
  const groupIsOurs = group?.tags[createdByTag] === spec.requestId;

  // 2. The pods, unless a policy that stays still gives them the group. Restarting is stamped with
  // the rollback's time, so re-runs (while rollouts move) wait for the same restart, never a new one.
  const staysAndNamesGroup = policy !== null && !ourPolicy && policy.groupIds.includes(podGroupId);
  if (!staysAndNamesGroup) {
    const pods = await podsCarrying([podGroupId]);
    if (pods.status === 'wait') return pods;
    reportPods(pods.output, undone, kept);
  }

  // Anyone else still on the group keeps its rules and the group itself — a group shared by
  // `as group` is named by other grants' policies, wherever they are.
  const users = group
    ? await groupUsers(ports, {
        namespace: spec.namespace,
        podGroupId,
        policyNames: [spec.policyName],
        everywhere: { except: [] },
      })
    : [];
  kept.push(
    ...users.map((u) => words(`${podGroupId} and its rules: ${u.en}`, `${podGroupId} 及其规则：${u.zh}`)),
  );

  // 3. The DNS rules: all that name a group this request created, else the ones it recorded adding.
  const clusterGroupId = outputs.planning?.clusterGroupId;
  if (clusterGroupId && users.length === 0) {
    const added =
      groupIsOurs || !group ? dnsRules(podGroupId, spec.requestId) : (outputs.allowDns?.added ?? []);
    const removed = await removeRules(ports, clusterGroupId, 'ingress', added);
    if (removed.length > 0) undone.push(describeRemoved(removed, clusterGroupId, 'ingress'));
    else if ((outputs.allowDns?.added.length ?? 0) > 0)
      undone.push(
        words(`the DNS rules in ${clusterGroupId} are gone`, `${clusterGroupId} 中的 DNS 规则已不存在`),
      );
  }

  if (!group) {
    if (outputs.ensurePodSecurityGroup?.created)
      undone.push(words(`security group ${podGroupId} is gone`, `安全组 ${podGroupId} 已不存在`));
    return undefined;
  }
  if (users.length > 0) return undefined;

  // 4. The rules it added to the pod group (all of a group it created go with the group).
  const added = outputs.ensurePodGroupRules;
  if (added) {
    for (const direction of ['ingress', 'egress'] as const) {
      const removed = await removeRules(
        ports,
        podGroupId,
        direction,
        direction === 'ingress' ? added.ingressAdded : added.egressAdded,
      );
      if (removed.length > 0) undone.push(describeRemoved(removed, podGroupId, direction));
    }
  }

  // 5. The group, when this request created it and nothing refers to it.
  if (groupIsOurs) {
    const result = await deleteGroupIfUnused(ports, podGroupId, {
      ours: (g) => g.tags[createdByTag] === spec.requestId && g.tags['sgops/managed'] === 'true',
      users: [],
    });
    if (result.deleted)
      undone.push(words(`deleted security group ${podGroupId}`, `已删除安全组 ${podGroupId}`));
    kept.push(...result.kept);
  }
  return undefined;
}

function reportPods(
  output: { restarted: string[]; barePods: string[] },
  undone: Words[],
  kept: Words[],
): void {
  const restarted = output.restarted.join(', ');
  if (restarted) undone.push(words(`recreated the pods of ${restarted}`, `已重建 ${restarted} 的 Pod`));
  const bare = output.barePods.join(', ');
  if (bare)
    kept.push(
      words(
        `the group on pods without a workload: ${bare} (recreate them yourself)`,
        `不属于工作负载的 Pod 上的安全组：${bare}（请自行重建）`,
      ),
    );
}

function describeRemoved(rules: Rule[], groupId: string, direction: 'ingress' | 'egress'): Words {
  const list = rules.map(describeRule).join(', ');
  return words(
    `removed ${rules.length} ${direction} rule(s) from ${groupId} (${list})`,
    `已从 ${groupId} 移除 ${rules.length} 条${direction === 'ingress' ? '入站' : '出站'}规则（${list}）`,
  );
}

/** The step's output has one list; what stays is said there too, with its reason. */
const keptLines = (kept: Words[]) => kept.map((k) => words(`kept ${k.en}`, `保留 ${k.zh}`));

function ignoreNotFound(error: unknown): void {
  if (!(isAppError(error) && error.code === 'K8S_NOT_FOUND')) throw error;
}
