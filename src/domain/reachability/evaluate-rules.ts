/**
 * The one rule evaluator: which rule of an instance's security groups decides one packet in one
 * direction. Pure; the caller reads the groups.
 *
 * Tencent Cloud's semantics, as written down here (sources in brackets):
 *
 * 1. Order. A group's rules of one direction are evaluated top-down, in PolicyIndex order (0 first);
 *    the first rule that matches decides, ACCEPT or DROP, and no later rule is looked at
 *    ["安全组概述 / 规则优先级": 当有流量入/出绑定某安全组的实例时，将从安全组规则列表顶端的规则开始逐条
 *    匹配至最后一条。如果匹配某一条规则成功（允许通过/拒绝通过），则不再匹配该规则之后的规则 —
 *    https://www.tencentcloud.com/zh/document/product/213/12452, and its English twin
 *    https://intl.cloud.tencent.com/document/product/213/12452; PolicyIndex is the 0-based position
 *    that CreateSecurityGroupPolicies inserts at — https://www.tencentcloud.com/document/product/215/15807].
 * 2. No match denies: a group with no (matching) rule rejects the traffic ["安全组未添加任何规则时，默认
 *    拒绝所有流量", same page; "新建的安全组的入站和出站规则默认都是全部拒绝" —
 *    https://cloud.tencent.com/document/api/215/43279].
 * 3. Several groups. An instance bound to several groups is evaluated group by group in binding order
 *    (the order of the pod's `eks.tke.cloud.tencent.com/security-group-id` annotation), each group's
 *    rules in order; the first match over all of them decides ["多个安全组: 一个实例可以绑定一个或多个
 *    安全组，当实例绑定多个安全组时，多个安全组将按照从上到下依次匹配执行", 213/12452 above]. So a DROP
 *    in an earlier group beats an ACCEPT in a later one, and a group that matches nothing passes the
 *    packet on to the next group; only when no rule of any group matches is it denied.
 * 4. Protocol. TCP, UDP, ICMP, ICMPV6, GRE or ALL (case-lenient) [CreateSecurityGroupPolicies, 215/15807].
 *    ALL matches every packet; TCP/UDP match their own; ICMP matches ICMP (IPv4) and ICMPV6 never does
 *    (it is the IPv6 protocol: "IPv6CidrBlock and ICMP are mutually exclusive; … enter ICMPV6"); GRE
 *    matches none of the packets asked about (tcp, udp, icmp).
 * 5. Port. Only TCP and UDP rules carry one ("只有当 Protocol 字段是 TCP 或 UDP 时，Port 字段才被接受");
 *    `ALL`, one port `80`, a range `8000-8010` (inclusive) or a list `80,443`
 *    (/work/shared/reference/tencentcloud-api.md, from tccli's examples and the console). An ICMP packet
 *    has no port, so only the protocol decides for it.
 * 6. Peer. Exactly one of CidrBlock, Ipv6CidrBlock, SecurityGroupId (AddressTemplate is not modelled:
 *    sgops' Rule has no such peer). A CIDR matches an address inside it (`0.0.0.0/0` every address, a
 *    /32 or a bare address exactly one); an IPv6 block never matches an IPv4 packet. A security group id
 *    stands for "all private IPs of the instances bound to that group, following them as they change"
 *    ["SecurityGroupId … 代表安全组下所有云服务器的内网 IP … 会随着被使用的这个 ID 所关联的云服务器变化而
 *    变化", https://cloud.tencent.com.cn/document/api/215/15807], so it matches when the peer is bound
 *    to it — a group may name itself.
 * 7. Stateful: the reply of an admitted connection flows back whatever the rules say (213/12452), so a
 *    connection needs only the source's egress and the target's ingress — the two hops.
 *
 * What sgops cannot know it says, never guesses: a rule that names addresses when the peer's address is
 * unknown (or only partly inside the block), or a group when the peer's groups are unknown, makes the
 * outcome `unknown` — unless an earlier rule already decided. A group sgops may not read is `unknown`
 * too when no earlier rule decided; a group that no longer exists holds no rules (the simulator agrees).
 */
import type { Direction, IndexedRule, RuleSet } from '../../ports/cloud-network.ts';
import type { AddressRange } from './address-range.ts';
import { addressRange, coverage, coversEverything } from './address-range.ts';
import type { Flow } from './flow.ts';

/** One security group as the caller read it: its rules, or why there are none to read. */
export interface GroupRules {
  id: string;
  /** The group's name, when read (DescribeSecurityGroups); shown beside the id. */
  name?: string;
  /** `unreadable`: sgops may not read it (or the read failed); `missing`: the group does not exist. */
  rules: Pick<RuleSet, 'ingress' | 'egress'> | 'unreadable' | 'missing';
}

/** What the evaluating side knows of the other end of the packet. */
export interface PeerFacts {
  /** Its address, or the block it is somewhere in; undefined when unknown. */
  address?: AddressRange;
  /** The groups it is bound to; undefined when unknown. */
  groups?: readonly string[];
}

/** Does this rule match? `unknown` says which fact was missing to tell. */
export type RuleMatch =
  { matches: true } | { matches: false } | { matches: 'unknown'; missing: 'address' | 'groups' };

const yes: RuleMatch = { matches: true };
const no: RuleMatch = { matches: false };

function protocolMatches(ruleProtocol: string, flow: Flow): boolean {
  const protocol = ruleProtocol.toUpperCase();
  return protocol === 'ALL' || protocol === flow.protocol;
}

/** `ALL`, `53`, `80,443`, `8000-8010` (and, leniently, a list of ranges) cover the port? */
export function portSpecCovers(spec: string, port: number): boolean {
  const compact = spec.replace(/\s+/g, '');
  if (compact.toUpperCase() === 'ALL') return true;
  return compact.split(',').some((part) => {
    const bounds = part.split('-');
    if (bounds.length > 2 || bounds.some((b) => !/^\d+$/.test(b))) return false;
    const low = Number(bounds[0]);
    const high = Number(bounds[1] ?? bounds[0]);
    return low <= port && port <= high;
  });
}

export function matchRule(rule: IndexedRule, flow: Flow, peer: PeerFacts): RuleMatch {
  if (!protocolMatches(rule.protocol, flow)) return no;
  if (flow.protocol !== 'ICMP' && !portSpecCovers(rule.port, flow.port)) return no;
  if ('securityGroupId' in rule.peer) {
    if (peer.groups === undefined) return { matches: 'unknown', missing: 'groups' };
    return peer.groups.includes(rule.peer.securityGroupId) ? yes : no;
  }
  const block = addressRange(rule.peer.cidr);
  // An IPv6 block (or anything not an IPv4 block) never matches an IPv4 packet.
  if (block === undefined) return no;
  if (coversEverything(block)) return yes;
  if (peer.address === undefined) return { matches: 'unknown', missing: 'address' };
  const covered = coverage(block, peer.address);
  if (covered === 'all') return yes;
  if (covered === 'none') return no;
  return { matches: 'unknown', missing: 'address' };
}

/** The rule that decided, where it sits, and which way it looked. */
export interface DecidingRule {
  groupId: string;
  groupName?: string;
  direction: Direction;
  rule: IndexedRule;
}

export type Decision =
  | { outcome: 'allow' | 'deny'; by: 'rule'; deciding: DecidingRule }
  /** No rule of any group matched (the groups looked at, in order). */
  | { outcome: 'deny'; by: 'noMatch'; groupIds: string[] }
  /** This rule might match, but the peer's address or groups are unknown. */
  | { outcome: 'unknown'; by: 'undecidedRule'; deciding: DecidingRule; missing: 'address' | 'groups' }
  /** This group could not be read, and no earlier rule decided. */
  | { outcome: 'unknown'; by: 'unreadableGroup'; groupId: string; groupName?: string };

const inPolicyOrder = (rules: readonly IndexedRule[]): IndexedRule[] =>
  rules
    .map((rule, position) => ({ rule, position }))
    .sort((a, b) => a.rule.index - b.rule.index || a.position - b.position)
    .map((r) => r.rule);

/**
 * The first match over the groups in binding order, each group's rules of `direction` in PolicyIndex
 * order. `peer` is the other end: the target for egress, the source for ingress.
 */
export function evaluateRules(
  groups: readonly GroupRules[],
  direction: Direction,
  flow: Flow,
  peer: PeerFacts,
): Decision {
  for (const group of groups) {
    const named = group.name === undefined ? {} : { groupName: group.name };
    if (group.rules === 'missing') continue;
    if (group.rules === 'unreadable')
      return { outcome: 'unknown', by: 'unreadableGroup', groupId: group.id, ...named };
    for (const rule of inPolicyOrder(group.rules[direction])) {
      const match = matchRule(rule, flow, peer);
      if (match.matches === false) continue;
      const deciding: DecidingRule = { groupId: group.id, ...named, direction, rule };
      if (match.matches === 'unknown')
        return { outcome: 'unknown', by: 'undecidedRule', deciding, missing: match.missing };
      return { outcome: rule.action.toUpperCase() === 'DROP' ? 'deny' : 'allow', by: 'rule', deciding };
    }
  }
  return { outcome: 'deny', by: 'noMatch', groupIds: groups.map((g) => g.id) };
}
