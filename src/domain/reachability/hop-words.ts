/** The sentence each hop carries, in both languages: which rule decided, or why nothing could. */
import type { Words } from '../words.ts';
import type { Endpoint } from './endpoint.ts';
import type { Decision, DecidingRule } from './evaluate-rules.ts';
import type { Flow } from './flow.ts';
import { flowText } from './flow.ts';
import type { HopCause } from './explain-path.ts';
import { directionLabel, groupLabel, subjectLabel, verdictLabel } from './labels.ts';
import { ruleText } from './rule-text.ts';

const zhList = (items: string[]) => items.join('、');

/** `Egress of sg-abc (my-app pods) rule #2 `DROP TCP 3306 0.0.0.0/0`` — the rule, where it sits. */
function ruleAt(d: DecidingRule): Words {
  const group = groupLabel(d.groupId, d.groupName);
  const text = ruleText(d.rule);
  return {
    en: `${directionLabel[d.direction].en} of ${group.en} rule #${d.rule.index} \`${text}\``,
    zh: `${group.zh}的${directionLabel[d.direction].zh}规则 #${d.rule.index} \`${text}\``,
  };
}

function decisionWords(
  decision: Decision,
  flow: Flow,
  peer: Endpoint,
  direction: 'egress' | 'ingress',
): Words {
  const what = flowText(flow);
  const other = subjectLabel(peer.subject);
  switch (decision.by) {
    case 'rule': {
      const at = ruleAt(decision.deciding);
      const verdict = verdictLabel[decision.outcome];
      return { en: `${at.en} decides: ${verdict.en}.`, zh: `${at.zh} 决定：${verdict.zh}。` };
    }
    case 'noMatch': {
      const ids = decision.groupIds;
      const toFrom = direction === 'egress' ? { en: 'to', zh: '到' } : { en: 'from', zh: '来自' };
      return {
        en: `No ${direction} rule of ${ids.join(', ') || 'any group'} matches ${what} ${toFrom.en} ${other.en}: denied (what no rule allows is denied).`,
        zh: `${zhList(ids) || '任何安全组'} 没有${directionLabel[direction].zh}规则匹配${toFrom.zh} ${other.zh} 的 ${what}：拒绝（没有规则允许即拒绝）。`,
      };
    }
    case 'undecidedRule': {
      const at = ruleAt(decision.deciding);
      const fact =
        decision.missing === 'address'
          ? {
              en: `the address of ${other.en} is unknown or only partly inside it`,
              zh: `${other.zh} 的地址未知或只有部分在其中`,
            }
          : { en: `the groups of ${other.en} are unknown`, zh: `${other.zh} 绑定的安全组未知` };
      return {
        en: `${at.en} may match, but ${fact.en}: unknown.`,
        zh: `${at.zh} 可能匹配，但${fact.zh}：未知。`,
      };
    }
    case 'unreadableGroup': {
      const group = groupLabel(decision.groupId, decision.groupName);
      return {
        en: `sgops may not read ${group.en}, whose ${direction} rules come next: unknown.`,
        zh: `sgops 无权读取 ${group.zh}，轮到它的${directionLabel[direction].zh}规则：未知。`,
      };
    }
  }
}

/** What a hop says, from its cause. `self` is the endpoint whose groups the hop evaluates. */
export function hopWords(
  cause: HopCause,
  flow: Flow,
  self: Endpoint,
  peer: Endpoint,
  direction: 'egress' | 'ingress',
): Words {
  const who = subjectLabel(self.subject);
  if (cause.by === 'outsideVpc') {
    return {
      en: `${who.en} is outside the VPC: sgops cannot see what filters its ${direction}; unknown.`,
      zh: `${who.zh} 在 VPC 之外：sgops 看不到它的${directionLabel[direction].zh}由什么过滤；未知。`,
    };
  }
  if (cause.by === 'unknownGroups') {
    return {
      en: `sgops cannot tell which groups filter ${who.en}: unknown.`,
      zh: `sgops 无法得知 ${who.zh} 由哪些安全组过滤：未知。`,
    };
  }
  return decisionWords(cause, flow, peer, direction);
}

/** Why a pod with no groups of its own is filtered by the cluster group: said before its hop. */
export function clusterGroupWords(self: Endpoint): Words | undefined {
  const f = self.filtering;
  if (f.by !== 'clusterGroup') return undefined;
  const who = subjectLabel(self.subject);
  const group = groupLabel(f.group.id, f.group.name);
  const node = self.subject.kind === 'pod' && self.subject.nodeName ? self.subject.nodeName : undefined;
  const why = {
    normalNode: {
      en: `is on ${node === undefined ? 'a normal node' : `normal node ${node}`} (security groups apply on super nodes only)`,
      zh: `在${node === undefined ? '普通节点' : `普通节点 ${node} `}上（安全组只作用于超级节点上的 Pod）`,
    },
    createdBeforePolicy: {
      en: 'was created before its SecurityGroupPolicy (a policy acts only when a pod is created)',
      zh: '创建于其 SecurityGroupPolicy 之前（策略只在 Pod 创建时生效）',
    },
    noPolicy: { en: 'is selected by no SecurityGroupPolicy', zh: '未被任何 SecurityGroupPolicy 选中' },
  }[f.why];
  return {
    en: `${who.en} ${why.en}, so it has no groups of its own: the cluster group ${group.en} filters it.`,
    zh: `${who.zh} ${why.zh}，没有自己的安全组：由集群安全组 ${group.zh} 过滤。`,
  };
}
