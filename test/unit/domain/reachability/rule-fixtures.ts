/** Rules written the way the explanation prints them: `ACCEPT TCP 3306 10.0.0.0/8`, `DROP ALL ALL sg-a1b2c3d4`. */
import type { IndexedRule, Protocol, RuleAction } from '../../../../src/ports/cloud-network.ts';
import type { GroupRules } from '../../../../src/domain/reachability/evaluate-rules.ts';

export function rule(text: string, index: number): IndexedRule {
  const [action, protocol, port, peer] = text.split(' ') as [RuleAction, Protocol, string, string];
  return {
    index,
    action,
    protocol,
    port,
    peer: peer.startsWith('sg-') ? { securityGroupId: peer } : { cidr: peer },
  };
}

/** A group's rules of one direction in PolicyIndex order (the other direction empty). */
export function group(
  id: string,
  direction: 'ingress' | 'egress',
  texts: string[],
  name?: string,
): GroupRules {
  const rules = texts.map((t, i) => rule(t, i));
  return {
    id,
    ...(name === undefined ? {} : { name }),
    rules: { ingress: direction === 'ingress' ? rules : [], egress: direction === 'egress' ? rules : [] },
  };
}

/** A group with rules both ways. */
export function groupBoth(id: string, ingress: string[], egress: string[], name?: string): GroupRules {
  return {
    id,
    ...(name === undefined ? {} : { name }),
    rules: { ingress: ingress.map((t, i) => rule(t, i)), egress: egress.map((t, i) => rule(t, i)) },
  };
}
