/**
 * The sentences of drift items, in English and 中文: what is wrong, naming each group by what it is
 * to the grant (the cluster group, the pod group) and each rule by what it is for (a DNS rule is
 * called a DNS rule), so a reader need not decode protocol, port and peer.
 */
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { GroupRole, RulePurpose } from './approved-state.ts';

/** One sentence each: capitalised, ending once (an event's text may bring its own full stop). */
const sentence = (en: string, zh: string): Words => {
  const body = en.replace(/[.。]+$/, '');
  return words(`${body.charAt(0).toUpperCase()}${body.slice(1)}.`, `${zh.replace(/[.。]+$/, '')}。`);
};

/** `the cluster group sg-y` / `集群安全组 sg-y`. */
export function groupWords(id: string, roles: readonly GroupRole[]): Words {
  if (roles.includes('pod')) return words(`the pod group ${id}`, `Pod 安全组 ${id}`);
  if (roles.includes('cluster')) return words(`the cluster group ${id}`, `集群安全组 ${id}`);
  return words(`the group ${id}`, `安全组 ${id}`);
}

const peerOf = (rule: Rule) => ('cidr' in rule.peer ? rule.peer.cidr : rule.peer.securityGroupId);
const portsOf = (rule: Rule) => (rule.protocol === 'ALL' ? 'ALL' : `${rule.protocol} ${rule.port}`);
const dropped = (rule: Rule) =>
  rule.action.toUpperCase() === 'DROP' ? words(' (DROP)', '（DROP）') : words('', '');

/** A rule without its article: `DNS rule UDP 53 from sg-x` / `来自 sg-x 的 DNS 规则 UDP 53`. */
export function ruleWords(rule: Rule, direction: Direction, purpose?: RulePurpose): Words {
  const peer = peerOf(rule);
  const drop = dropped(rule);
  switch (purpose) {
    case 'dns':
      return words(`DNS rule ${portsOf(rule)} from ${peer}`, `来自 ${peer} 的 DNS 规则 ${portsOf(rule)}`);
    case 'kubelet':
      return words(
        `kubelet health-check rule (${portsOf(rule)} from the cluster group ${peer})`,
        `kubelet 健康检查规则（来自集群安全组 ${peer} 的 ${portsOf(rule)}）`,
      );
    case 'self':
      return words(
        `rule that lets the group's own pods reach each other (${portsOf(rule)} from ${peer})`,
        `本组 Pod 互访规则（来自 ${peer} 的 ${portsOf(rule)}）`,
      );
    default:
      return direction === 'ingress'
        ? words(
            `ingress rule ${portsOf(rule)} from ${peer}${drop.en}`,
            `来自 ${peer} 的入站规则 ${portsOf(rule)}${drop.zh}`,
          )
        : words(
            `egress rule ${portsOf(rule)} to ${peer}${drop.en}`,
            `到 ${peer} 的出站规则 ${portsOf(rule)}${drop.zh}`,
          );
  }
}

export function groupMissingSaid(id: string, roles: readonly GroupRole[]): Words {
  const group = groupWords(id, roles);
  return sentence(`${group.en} no longer exists`, `${group.zh} 已不存在`);
}

export function ruleMissingSaid(group: Words, rule: Rule, direction: Direction, purpose: RulePurpose): Words {
  const what = ruleWords(rule, direction, purpose);
  return sentence(`the ${what.en} is missing from ${group.en}`, `${group.zh} 中缺少${what.zh}`);
}

export function ruleAddedSaid(group: Words, rule: Rule, direction: Direction): Words {
  const what = ruleWords(rule, direction);
  const article = /^[aeiou]/.test(what.en) ? 'an' : 'a';
  return sentence(
    `${group.en} has ${article} ${what.en} that sgops did not write: it was added or changed outside sgops, and stays until a person decides`,
    `${group.zh} 中有一条不是 sgops 写入的${what.zh}：它是在 sgops 之外添加或修改的，由人决定是否保留`,
  );
}

export function policyMissingSaid(namespace: string, name: string): Words {
  return sentence(
    `the SecurityGroupPolicy ${name} in ${namespace} is gone: new pods of the app get no security group`,
    `命名空间 ${namespace} 中的 SecurityGroupPolicy ${name} 已不存在：应用新建的 Pod 将不会绑定安全组`,
  );
}

export function policyChangedSaid(
  name: string,
  what: 'selector' | 'groups',
  expected: string,
  found: string,
): Words {
  return what === 'selector'
    ? sentence(
        `the SecurityGroupPolicy ${name} selects ${found || 'nothing'} instead of ${expected}`,
        `SecurityGroupPolicy ${name} 的选择器为 ${found || '（空）'}，应为 ${expected}`,
      )
    : sentence(
        `the SecurityGroupPolicy ${name} names the groups ${found || 'none'} instead of ${expected}`,
        `SecurityGroupPolicy ${name} 绑定的安全组为 ${found || '（无）'}，应为 ${expected}`,
      );
}

export function labelMissingSaid(
  namespace: string,
  serviceAccount: string,
  label: string,
  accountGone: boolean,
): Words {
  return accountGone
    ? sentence(
        `the ServiceAccount ${serviceAccount} in ${namespace} is gone, and with it the label ${label} the policy selects`,
        `命名空间 ${namespace} 中的服务账号 ${serviceAccount} 已不存在，策略所选的标签 ${label} 也随之消失`,
      )
    : sentence(
        `the ServiceAccount ${serviceAccount} in ${namespace} no longer carries the label ${label} the policy selects`,
        `命名空间 ${namespace} 中的服务账号 ${serviceAccount} 已没有策略所选的标签 ${label}`,
      );
}

/** Why a pod lacks its groups: the cluster's word first, else what sgops can tell. */
export function podReason(pod: { nodeName: string | null; superNode: boolean; events?: string[] }): Words {
  const event = pod.events?.at(-1);
  if (event) return words(event, `集群事件：「${event}」`);
  if (!pod.superNode) {
    const node = pod.nodeName ?? 'no node';
    return words(
      `it runs on ${node}, a normal node, not a super node`,
      `它运行在普通节点 ${pod.nodeName ?? '（无节点）'} 上，不是超级节点`,
    );
  }
  return words('it was created before the policy', '它创建于策略之前');
}

export function podWithoutGroupSaid(
  pod: string,
  node: string | null,
  missing: readonly string[],
  reason: Words,
): Words {
  const groups = missing.join(', ');
  return sentence(
    `pod ${pod} on ${node ?? 'no node'} runs without the security group ${groups}: ${reason.en}`,
    `Pod ${pod}（节点 ${node ?? '无'}）未绑定安全组 ${groups}：${reason.zh}`,
  );
}
