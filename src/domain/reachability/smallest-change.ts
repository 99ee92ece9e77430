/**
 * The smallest change that would let a denied packet through, as data (the renderer turns it into
 * the sgops line to type). Only what a grant can write is offered as a line: ingress into the
 * target's group from the app's pod group (`allow … to sg-…`, inserted ahead of that group's first
 * DROP), egress from the pod group to an address (`allow … to <cidr>`), the cluster group's DNS rules
 * (a grant adds them; `repair <id>` puts back a grant's own). Anything else is said, not guessed at.
 */
import type { AllowRule, GrantTarget } from '../../commands/command.ts';
import type { Words } from '../words.ts';
import { addressRange } from './address-range.ts';
import type { Endpoint } from './endpoint.ts';
import { filteringGroups } from './endpoint.ts';
import type { Flow } from './flow.ts';
import { flowText } from './flow.ts';
import type { Hop, PathExplanation } from './explain-path.ts';
import { groupLabel, subjectLabel } from './labels.ts';

/** What the caller knows of the source pods' grant. */
export interface FixContext {
  /** The source pods' app (or service account), as a grant line names it. */
  target: GrantTarget;
  namespace: string;
  clusterId?: string;
  /** The app's pod group made by sgops, when it exists; without one a grant creates it. */
  podGroupId?: string;
  /** The grant in force for these pods, when known: `repair <id>` puts its rules and pods back. */
  grantRequestId?: string;
}

export type Change =
  /** `grant pod SG to app … [allow … to …]…`: no allow clause means the plain grant. */
  | { kind: 'grant'; allow: AllowRule[]; why: Words[] }
  | { kind: 'repair'; requestId: string; why: Words[] }
  /** The pod must be created again to get its groups, and no grant id is known to `repair`. */
  | { kind: 'recreatePods'; why: Words[] }
  /** A pod on a normal node: no grant gives it a group; its workload must move to super nodes. */
  | { kind: 'superNode'; pod: string; why: Words[] }
  /** No sgops line fixes it: the rule or group to change, said. */
  | { kind: 'byHand'; why: Words[] };

function allowOf(flow: Flow, peer: AllowRule['peer']): AllowRule {
  return flow.protocol === 'ICMP'
    ? { protocol: 'ICMP', ports: 'ALL', direction: 'to', peer }
    : { protocol: flow.protocol, ports: String(flow.port), direction: 'to', peer };
}

/** The block an address target names, as a grant's `to <cidr>` takes it (a bare address is a /32). */
function cidrOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const range = addressRange(address);
  if (range === undefined) return undefined;
  const prefix = 32 - Math.log2(range.last - range.first + 1);
  const first = [24, 16, 8, 0].map((s) => Math.floor(range.first / 2 ** s) % 256).join('.');
  return `${first}/${prefix}`;
}

const decidingGroup = (hop: Hop): string | undefined =>
  hop.cause.by === 'rule' ? hop.cause.deciding.groupId : undefined;

/** Whether the source will be in the pod group once the change is made (now, or after a grant). */
function sourceJoinsPodGroup(source: Endpoint, ctx: FixContext): boolean {
  if (source.filtering.by === 'own')
    return ctx.podGroupId !== undefined && source.filtering.groups.some((g) => g.id === ctx.podGroupId);
  return source.filtering.by === 'clusterGroup';
}

function egressChange(
  hop: Hop,
  source: Endpoint,
  target: Endpoint,
  flow: Flow,
  ctx: FixContext,
): Change | AllowRule | undefined {
  if (hop.verdict !== 'deny') return undefined;
  // A pod without groups of its own gets the pod group, whose egress is everything by default.
  if (source.filtering.by !== 'own') return undefined;
  const groups = source.filtering.groups.map((g) => g.id);
  const podAt = ctx.podGroupId === undefined ? -1 : groups.indexOf(ctx.podGroupId);
  const decidedIn = decidingGroup(hop);
  const what = flowText(flow);
  if (podAt < 0 || (decidedIn !== undefined && groups.indexOf(decidedIn) < podAt)) {
    const group = decidedIn ?? groups[0] ?? '?';
    return {
      kind: 'byHand',
      why: [
        {
          en: `The egress of ${group} decides before any group sgops writes to: its owners must allow ${what} there (ahead of rule #${hop.rule?.policyIndex ?? '?'}).`,
          zh: `${group} 的出站规则先于 sgops 可写的安全组生效：需由其负责人在其中允许 ${what}（置于规则 #${hop.rule?.policyIndex ?? '?'} 之前）。`,
        },
      ],
    };
  }
  const cidr = target.subject.kind === 'securityGroup' ? undefined : cidrOf(target.address);
  if (cidr === undefined) {
    const peer =
      target.subject.kind === 'securityGroup' ? target.subject.id : subjectLabel(target.subject).en;
    return {
      kind: 'byHand',
      why: [
        {
          en: `A grant line cannot ask for egress to ${peer}: add \`ACCEPT ${what} ${peer}\` to the egress of ${ctx.podGroupId} ahead of its first DROP.`,
          zh: `授权命令无法申请到 ${peer} 的出站：请在 ${ctx.podGroupId} 的出站规则中、第一条 DROP 之前添加 \`ACCEPT ${what} ${peer}\`。`,
        },
      ],
    };
  }
  return allowOf(flow, { cidr });
}

function ingressChange(
  hop: Hop,
  source: Endpoint,
  target: Endpoint,
  flow: Flow,
  ctx: FixContext,
  dns: boolean,
): Change | AllowRule | undefined {
  if (hop.verdict !== 'deny') return undefined;
  const f = target.filtering;
  if (dns && f.by === 'clusterGroup') {
    if (hop.cause.by === 'noMatch' && sourceJoinsPodGroup(source, ctx)) {
      const rules = {
        en: 'the DNS rules (TCP and UDP 53 from the pod group) into the cluster group',
        zh: '集群安全组中的 DNS 规则（来自 Pod 安全组的 TCP 与 UDP 53）',
      };
      if (ctx.grantRequestId !== undefined && source.filtering.by === 'own') {
        return {
          kind: 'repair',
          requestId: ctx.grantRequestId,
          why: [
            {
              en: `Puts back ${rules.en} that ${ctx.grantRequestId} made.`,
              zh: `恢复 ${ctx.grantRequestId} 所加的${rules.zh}。`,
            },
          ],
        };
      }
      return {
        kind: 'grant',
        allow: [],
        why: [{ en: `A grant adds ${rules.en}.`, zh: `授权会添加${rules.zh}。` }],
      };
    }
  }
  if (f.by !== 'own') {
    const who = subjectLabel(target.subject);
    const group = filteringGroups(f)?.[0];
    const by = group === undefined ? { en: '', zh: '' } : groupLabel(group.id, group.name);
    return {
      kind: 'byHand',
      why: [
        {
          en: `${who.en} has no group of its own${group === undefined ? '' : ` (the cluster group ${by.en} filters it)`}: its owners must admit ${flowText(flow)}${hop.rule === undefined ? '' : ` ahead of rule #${hop.rule.policyIndex}`}.`,
          zh: `${who.zh} 没有自己的安全组${group === undefined ? '' : `（由集群安全组 ${by.zh} 过滤）`}：需由其负责人允许 ${flowText(flow)}${hop.rule === undefined ? '' : `，置于规则 #${hop.rule.policyIndex} 之前`}。`,
        },
      ],
    };
  }
  if (!sourceJoinsPodGroup(source, ctx)) {
    return {
      kind: 'byHand',
      why: [
        {
          en: `${subjectLabel(source.subject).en} is not in the app's pod group, so a rule from that group would not match it.`,
          zh: `${subjectLabel(source.subject).zh} 不在该应用的 Pod 安全组中，来自该组的规则不会匹配它。`,
        },
      ],
    };
  }
  // Into the group whose DROP decided (no earlier group matched, and none will), else the first group:
  // a grant inserts the ACCEPT ahead of that group's first DROP, so it is the first match.
  const into = decidingGroup(hop) ?? f.groups[0]?.id;
  return into === undefined ? undefined : allowOf(flow, { securityGroupId: into });
}

function whyAllow(rule: AllowRule, ctx: FixContext): Words {
  const what = `${rule.protocol} ${rule.ports}`;
  if ('securityGroupId' in rule.peer) {
    const g = rule.peer.securityGroupId;
    return {
      en: `Adds \`ACCEPT ${what}\` from the pod group to the ingress of ${g}, ahead of its first DROP.`,
      zh: `在 ${g} 的入站规则中、第一条 DROP 之前添加来自 Pod 安全组的 \`ACCEPT ${what}\`。`,
    };
  }
  const pod = ctx.podGroupId ?? 'the pod group';
  return {
    en: `Adds \`ACCEPT ${what} ${rule.peer.cidr}\` to the egress of ${pod}, ahead of its first DROP.`,
    zh: `在 ${ctx.podGroupId ?? 'Pod 安全组'} 的出站规则中、第一条 DROP 之前添加 \`ACCEPT ${what} ${rule.peer.cidr}\`。`,
  };
}

/**
 * The changes that would let this path through (none when it is not denied). `dns` marks a path to
 * CoreDNS, whose ingress is the cluster group's DNS rules.
 */
export function smallestChange(
  path: PathExplanation,
  source: Endpoint,
  target: Endpoint,
  ctx: FixContext,
  options: { dns?: boolean } = {},
): Change[] {
  if (path.verdict !== 'deny') return [];
  const s = source.subject;
  if (source.filtering.by === 'clusterGroup' && source.filtering.why === 'normalNode') {
    const pod = s.kind === 'pod' ? s.name : subjectLabel(s).en;
    return [
      {
        kind: 'superNode',
        pod,
        why: [
          {
            en: `Pod ${pod} is on a normal node, where no grant gives it a group: its workload must be scheduled to super nodes (nodeSelector and toleration), then restarted.`,
            zh: `Pod ${pod} 在普通节点上，任何授权都无法为其绑定安全组：需将其工作负载调度到超级节点（nodeSelector 与容忍），再重启。`,
          },
        ],
      },
    ];
  }
  if (source.filtering.by === 'clusterGroup' && source.filtering.why === 'createdBeforePolicy') {
    // Created again the pods are bound to their groups, and both hops change: nothing else to say yet.
    const why: Words[] = [
      {
        en: 'The pods were created before their policy: created again, they get their groups; then explain again.',
        zh: '这些 Pod 创建于策略之前：重新创建后即获得安全组；之后请再次解释。',
      },
    ];
    return [
      ctx.grantRequestId === undefined
        ? { kind: 'recreatePods', why }
        : { kind: 'repair', requestId: ctx.grantRequestId, why },
    ];
  }
  const changes: Change[] = [];
  const allow: AllowRule[] = [];
  for (const c of [
    egressChange(path.hops[0], source, target, path.flow, ctx),
    ingressChange(path.hops[1], source, target, path.flow, ctx, options.dns === true),
  ]) {
    if (c === undefined) continue;
    if ('kind' in c) changes.push(c);
    else allow.push(c);
  }
  const plain = source.filtering.by === 'clusterGroup' && source.filtering.why === 'noPolicy';
  if (allow.length === 0 && !plain) return changes;
  const why = allow.map((rule) => whyAllow(rule, ctx));
  if (plain)
    why.unshift({
      en: 'Gives the pods a group of their own, with egress to anywhere.',
      zh: '为这些 Pod 创建自己的安全组，出站默认放通。',
    });
  const grant = changes.find((c) => c.kind === 'grant');
  if (grant === undefined) return [{ kind: 'grant', allow, why }, ...changes];
  grant.allow.push(...allow);
  grant.why.push(...why);
  return changes;
}
