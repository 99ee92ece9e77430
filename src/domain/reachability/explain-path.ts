/**
 * Follows one packet from a source to a target the way Tencent Cloud filters it: the source's groups'
 * egress, then the target's groups' ingress (security groups are stateful, so the reply needs no
 * rule). Each hop names its deciding rule, or says why none decided.
 */
import type { Direction } from '../../ports/cloud-network.ts';
import type { Words } from '../words.ts';
import type { Endpoint, Subject } from './endpoint.ts';
import { filteringGroups, memberOf } from './endpoint.ts';
import type { Decision } from './evaluate-rules.ts';
import { evaluateRules } from './evaluate-rules.ts';
import { addressRange } from './address-range.ts';
import type { Flow } from './flow.ts';
import { flowText } from './flow.ts';
import { clusterGroupWords, hopWords } from './hop-words.ts';
import { subjectLabel, verdictLabel } from './labels.ts';
import { ruleText, tccliPolicy } from './rule-text.ts';

export type Verdict = 'allow' | 'deny' | 'unknown';

/** Why a hop came out as it did: a rule decision, or an end sgops cannot evaluate. */
export type HopCause =
  Decision | { outcome: 'unknown'; by: 'outsideVpc' } | { outcome: 'unknown'; by: 'unknownGroups' };

/** The deciding rule, ready to show: where it is, and how tccli and the explanation print it. */
export interface ShownRule {
  groupId: string;
  groupName?: string;
  direction: Direction;
  policyIndex: number;
  /** `DROP TCP 3306 0.0.0.0/0` */
  text: string;
  /** The SecurityGroupPolicy as `tccli vpc DescribeSecurityGroupPolicies` prints it. */
  tccli: Record<string, string | number>;
}

export interface Hop {
  /** `egress`: the source's groups; `ingress`: the target's. */
  direction: Direction;
  verdict: Verdict;
  cause: HopCause;
  /** The rule that decided (or that could not be decided); absent for no match and unreadable ends. */
  rule?: ShownRule;
  said: Words;
}

export interface PathExplanation {
  source: Subject;
  target: Subject;
  flow: Flow;
  /** Source egress, then target ingress. */
  hops: [Hop, Hop];
  /** Denied when either hop denies (the packet is dropped whatever the other says); else unknown if either is. */
  verdict: Verdict;
  /** The hop that denied, when denied (the egress first: a packet dropped there never reaches ingress). */
  deniedAt?: Direction;
  /** Every sentence, in order: how the ends are filtered, each hop, the verdict. */
  said: Words[];
}

function shown(cause: HopCause): ShownRule | undefined {
  if (cause.by !== 'rule' && cause.by !== 'undecidedRule') return undefined;
  const d = cause.deciding;
  return {
    groupId: d.groupId,
    ...(d.groupName === undefined ? {} : { groupName: d.groupName }),
    direction: d.direction,
    policyIndex: d.rule.index,
    text: ruleText(d.rule),
    tccli: tccliPolicy(d.rule),
  };
}

function hop(self: Endpoint, peer: Endpoint, direction: Direction, flow: Flow): Hop {
  const groups = filteringGroups(self.filtering);
  const peerAddress = peer.address === undefined ? undefined : addressRange(peer.address);
  const peerGroups = memberOf(peer.filtering);
  const cause: HopCause =
    self.filtering.by === 'outsideVpc'
      ? { outcome: 'unknown', by: 'outsideVpc' }
      : groups === undefined
        ? { outcome: 'unknown', by: 'unknownGroups' }
        : evaluateRules(groups, direction, flow, {
            ...(peerAddress === undefined ? {} : { address: peerAddress }),
            ...(peerGroups === undefined ? {} : { groups: peerGroups }),
          });
  const rule = shown(cause);
  return {
    direction,
    verdict: cause.outcome,
    cause,
    ...(rule === undefined ? {} : { rule }),
    said: hopWords(cause, flow, self, peer, direction),
  };
}

export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('deny')) return 'deny';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'allow';
}

export function explainPath(source: Endpoint, target: Endpoint, flow: Flow): PathExplanation {
  const egress = hop(source, target, 'egress', flow);
  const ingress = hop(target, source, 'ingress', flow);
  const verdict = combineVerdicts([egress.verdict, ingress.verdict]);
  const deniedAt = egress.verdict === 'deny' ? 'egress' : ingress.verdict === 'deny' ? 'ingress' : undefined;
  const from = subjectLabel(source.subject);
  const to = subjectLabel(target.subject);
  const what = flowText(flow);
  const v = verdictLabel[verdict];
  const summary: Words = {
    en: `${from.en} → ${to.en}, ${what}: ${v.en}${deniedAt === undefined ? '' : ` at the ${deniedAt}`}.`,
    zh: `${from.zh} → ${to.zh}，${what}：${v.zh}${deniedAt === undefined ? '' : `（${deniedAt === 'egress' ? '出站' : '入站'}）`}。`,
  };
  const notes = [clusterGroupWords(source), clusterGroupWords(target)].filter(
    (w): w is Words => w !== undefined,
  );
  return {
    source: source.subject,
    target: target.subject,
    flow,
    hops: [egress, ingress],
    verdict,
    ...(deniedAt === undefined ? {} : { deniedAt }),
    said: [...notes, egress.said, ingress.said, summary],
  };
}
