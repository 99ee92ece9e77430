/** The tccli lines a plan shows: what a person would type to make the same change by hand. */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';

const peerArg = (rule: Rule) =>
  'cidr' in rule.peer ? `CidrBlock ${rule.peer.cidr}` : `SecurityGroupId ${rule.peer.securityGroupId}`;

function ruleArgs(direction: Direction, rules: Rule[]): string {
  const set = direction === 'ingress' ? 'Ingress' : 'Egress';
  return rules
    .map((r, i) => {
      const at = `--SecurityGroupPolicySet.${set}.${i}`;
      return `${at}.Protocol ${r.protocol} ${at}.Port ${r.port} ${at}.${peerArg(r)} ${at}.Action ${r.action}`;
    })
    .join(' ');
}

export const tccliCreateRules = (securityGroupId: string, direction: Direction, rules: Rule[]): string =>
  `tccli vpc CreateSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${securityGroupId} ${ruleArgs(direction, rules)}`;

export const tccliDeleteRules = (securityGroupId: string, direction: Direction, rules: Rule[]): string =>
  `tccli vpc DeleteSecurityGroupPolicies --cli-unfold-argument --SecurityGroupId ${securityGroupId} ${ruleArgs(direction, rules)}`;

export const describeRule = (rule: Rule): string =>
  `${rule.protocol} ${rule.port} ${'cidr' in rule.peer ? rule.peer.cidr : rule.peer.securityGroupId}`;
