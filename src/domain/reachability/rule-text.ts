/**
 * A rule as people see it: the short form the explanation quotes (`DROP TCP 3306 0.0.0.0/0`) and the
 * SecurityGroupPolicy that `tccli vpc DescribeSecurityGroupPolicies` prints for it, so the deciding
 * rule can be found in tccli's output or the console by its PolicyIndex and fields.
 */
import type { IndexedRule, Rule } from '../../ports/cloud-network.ts';

const peerText = (rule: Rule): string => ('cidr' in rule.peer ? rule.peer.cidr : rule.peer.securityGroupId);

/** `ACTION PROTOCOL PORT PEER`: `ACCEPT UDP 53 sg-a1b2c3d4`, `DROP ALL ALL 0.0.0.0/0`. */
export function ruleText(rule: Rule): string {
  return `${rule.action.toUpperCase()} ${rule.protocol.toUpperCase()} ${rule.port.toUpperCase()} ${peerText(rule)}`;
}

/** The rule as DescribeSecurityGroupPolicies returns it (the members tccli prints), Port only where one is taken. */
export function tccliPolicy(rule: IndexedRule): Record<string, string | number> {
  const policy: Record<string, string | number> = { PolicyIndex: rule.index, Protocol: rule.protocol };
  const protocol = rule.protocol.toUpperCase();
  if (protocol === 'TCP' || protocol === 'UDP' || protocol === 'ALL') policy.Port = rule.port;
  if ('securityGroupId' in rule.peer) policy.SecurityGroupId = rule.peer.securityGroupId;
  else if (rule.peer.cidr.includes(':')) policy.Ipv6CidrBlock = rule.peer.cidr;
  else policy.CidrBlock = rule.peer.cidr;
  policy.Action = rule.action;
  if (rule.description) policy.PolicyDescription = rule.description;
  return policy;
}
