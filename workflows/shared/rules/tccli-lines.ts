/**
 * The tccli lines a plan shows: what a person would type to make the same change by hand.
 *
 * One form for every line: each request member is one `--Name value`, and a member that is not a
 * scalar (a list, a structure) takes its JSON, the request body's own shape — tccli parses any such
 * member with json.loads (tccli/argument.py). Not --cli-unfold-argument: its dotted names exist
 * only for list indices below the profile's arrayCount (10 by default), which DNS rules for many
 * `using` groups pass, and it spells one rule over four options. Every line names the region with
 * tccli's global `--region`, since a person's tccli profile may point elsewhere.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';

/** The pod group before it exists: a shell variable the person sets to the id the create line prints. */
export const podGroupPlaceholder = '$POD_SG';

type Json = string | number | boolean | Json[] | { [key: string]: Json };

/** `tccli <service> <action> --region <region> --Member value …`, each word quoted for a POSIX shell. */
export function tccliLine(
  region: string,
  service: string,
  action: string,
  params: Record<string, Json>,
): string {
  const args = Object.entries(params).flatMap(([name, value]) => [
    `--${name}`,
    shellWord(typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value)),
  ]);
  return ['tccli', service, action, '--region', shellWord(region), ...args].join(' ');
}

/**
 * A word the shell reads back as `value`: bare when plain, else single-quoted, with the pod group
 * placeholder left outside the quotes (double-quoted) so the shell expands it.
 */
function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return value
    .split(podGroupPlaceholder)
    .map((piece) => (piece === '' ? '' : `'${piece.replaceAll("'", `'\\''`)}'`))
    .join(`"${podGroupPlaceholder}"`);
}

/**
 * A rule as the VPC API's SecurityGroupPolicy, as sgops sends it: Port only where the protocol
 * takes one, the peer by its own member, the description (sgops' label) only when creating.
 */
function policy(rule: Rule, withDescription: boolean): Record<string, string> {
  const p: Record<string, string> = { Protocol: rule.protocol };
  if (rule.protocol === 'TCP' || rule.protocol === 'UDP' || rule.protocol === 'ALL') p.Port = rule.port;
  if ('securityGroupId' in rule.peer) p.SecurityGroupId = rule.peer.securityGroupId;
  else if (rule.peer.cidr.includes(':')) p.Ipv6CidrBlock = rule.peer.cidr;
  else p.CidrBlock = rule.peer.cidr;
  p.Action = rule.action;
  if (withDescription && rule.description) p.PolicyDescription = rule.description;
  return p;
}

const policySet = (direction: Direction, rules: Rule[], withDescription: boolean) => ({
  [direction === 'ingress' ? 'Ingress' : 'Egress']: rules.map((r) => policy(r, withDescription)),
});

export const tccliCreateRules = (
  region: string,
  securityGroupId: string,
  direction: Direction,
  rules: Rule[],
) =>
  tccliLine(region, 'vpc', 'CreateSecurityGroupPolicies', {
    SecurityGroupId: securityGroupId,
    SecurityGroupPolicySet: policySet(direction, rules, true),
  });

/** Matched by content, as sgops deletes: the description is no part of a rule's identity. */
export const tccliDeleteRules = (
  region: string,
  securityGroupId: string,
  direction: Direction,
  rules: Rule[],
) =>
  tccliLine(region, 'vpc', 'DeleteSecurityGroupPolicies', {
    SecurityGroupId: securityGroupId,
    SecurityGroupPolicySet: policySet(direction, rules, false),
  });

export const tccliCreateGroup = (
  region: string,
  group: { name: string; description: string; tags: Record<string, string> },
) =>
  tccliLine(region, 'vpc', 'CreateSecurityGroup', {
    GroupName: group.name,
    GroupDescription: group.description,
    Tags: Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })),
  });

/** Listing what still refers to the group (another group's rule), then deleting it. */
export const tccliDeleteGroup = (region: string, securityGroupId: string) =>
  `${tccliLine(region, 'vpc', 'DescribeSecurityGroupReferences', { SecurityGroupIds: [securityGroupId] })} && ${tccliLine(region, 'vpc', 'DeleteSecurityGroup', { SecurityGroupId: securityGroupId })}`;

export const tccliDescribeRules = (region: string, securityGroupId: string) =>
  tccliLine(region, 'vpc', 'DescribeSecurityGroupPolicies', { SecurityGroupId: securityGroupId });

export const describeRule = (rule: Rule): string =>
  `${rule.protocol} ${rule.port} ${'cidr' in rule.peer ? rule.peer.cidr : rule.peer.securityGroupId}`;
