/**
 * The `using` part of a revoke's plan: the named groups stay; what sgops wrote for each (DNS rules
 * in the cluster group, its own rules, ingress from it in the `allow … to` groups) goes once
 * nobody else uses it. Reads only.
 */
import type { IndexedRule, Rule, RuleSet } from '../../../src/ports/cloud-network.ts';
import { readGroup } from '../../shared/groups/read-group.ts';
import type { PlannedChange } from '../../shared/planned-change.ts';
import { isSgopsRule } from '../../shared/rules/rule-label.ts';
import { peerGroupOf } from '../../shared/rules/rules.ts';
import { describeRule, tccliDeleteRules } from '../../shared/rules/tccli-lines.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import type { RevokePlan, RevokeSpec } from '../types.ts';

export async function planExistingGroupRemoval(
  input: {
    spec: RevokeSpec;
    /** The groups named in `using`. */
    ids: readonly string[];
    clusterGroupId: string | null;
    clusterRules: RuleSet | null;
    usersOf: (groupId: string) => Promise<Words[]>;
  },
  ports: StepPorts,
  changes: PlannedChange[],
  warnings: Words[],
): Promise<NonNullable<RevokePlan['existingGroups']>> {
  const { spec, clusterGroupId, clusterRules, usersOf } = input;
  const { region } = ports.settings;
  const existingGroups: NonNullable<RevokePlan['existingGroups']> = [];
  // The `allow … to` groups' rules are read once (when a named group's rules go), not once per named group.
  let targets: Promise<TargetRules[]> | undefined;
  for (const id of input.ids) {
    const exists = (await readGroup(ports, id)) !== null;
    const users = exists ? await usersOf(id) : [];
    existingGroups.push({ id, exists, stillUsedBy: users });
    if (!exists) {
      warnings.push(
        words(
          `The security group ${id} named in \`using\` no longer exists.`,
          `\`使用\` 指定的安全组 ${id} 已不存在。`,
        ),
      );
      continue;
    }
    if (users.length > 0) {
      warnings.push(
        words(
          `The rules sgops added for ${id} stay, because it is still used: ${joinWords(users, '; ').en}.`,
          `sgops 为 ${id} 添加的规则保留，因为它仍在使用：${joinWords(users, '；').zh}。`,
        ),
      );
      continue;
    }
    const sgopsFor = (rules: Rule[]) =>
      rules.filter((r) => isSgopsRule(r) && peerGroupOf(r) === id).map(stripIndex);
    const dns = clusterRules ? sgopsFor(clusterRules.ingress) : [];
    if (clusterGroupId && dns.length > 0) {
      changes.push({
        system: 'tencentcloud',
        summary: words(
          `Remove the DNS rules sgops added for ${id} from the cluster group ${clusterGroupId}`,
          `从集群安全组 ${clusterGroupId} 移除 sgops 为 ${id} 添加的 DNS 规则`,
        ),
        command: tccliDeleteRules(region, clusterGroupId, 'ingress', dns),
      });
    }
    const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(id);
    for (const direction of ['ingress', 'egress'] as const) {
      const own = ruleSet[direction].filter((r) => isSgopsRule(r)).map(stripIndex);
      if (own.length === 0) continue;
      changes.push({
        system: 'tencentcloud',
        summary: words(
          `Remove from ${id} the ${direction} rules sgops added: ${own.map(describeRule).join(', ')} (the group itself stays)`,
          `从 ${id} 移除 sgops 添加的${direction === 'ingress' ? '入站' : '出站'}规则：${own.map(describeRule).join(', ')}（安全组本身保留）`,
        ),
        command: tccliDeleteRules(region, id, direction, own),
      });
    }
    targets ??= readTargetRules(ports, spec.targetGroupIds ?? []);
    for (const { target, ingress } of await targets) {
      const own = sgopsFor(ingress);
      if (own.length === 0) continue;
      changes.push({
        system: 'tencentcloud',
        summary: words(
          `Remove from ${target} the ingress sgops added from ${id}: ${own.map(describeRule).join(', ')}`,
          `从 ${target} 移除 sgops 为来自 ${id} 的流量添加的入站规则：${own.map(describeRule).join(', ')}`,
        ),
        command: tccliDeleteRules(region, target, 'ingress', own),
      });
    }
  }
  return existingGroups;
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
