import type { SecurityGroupPolicy } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import type { IndexedRule, Protocol, Rule } from '../../src/ports/cloud-network.ts';

/** Between the port's Rule and the VPC API's SecurityGroupPolicy. */
const protocols = new Set<Protocol>(['TCP', 'UDP', 'ICMP', 'ICMPV6', 'GRE', 'ALL']);

/** The wire form sgops sends: the peer always explicit, Port only where the API takes one. */
export function toSecurityGroupPolicy(rule: Rule): SecurityGroupPolicy {
  const policy: SecurityGroupPolicy = { Protocol: rule.protocol, Action: rule.action };
  if (rule.protocol === 'TCP' || rule.protocol === 'UDP' || rule.protocol === 'ALL') policy.Port = rule.port;
  if ('securityGroupId' in rule.peer) policy.SecurityGroupId = rule.peer.securityGroupId;
  else if (rule.peer.cidr.includes(':')) policy.Ipv6CidrBlock = rule.peer.cidr;
  else policy.CidrBlock = rule.peer.cidr;
  if (rule.description !== undefined) policy.PolicyDescription = rule.description;
  return policy;
}

/**
 * The port's view of a described rule, or undefined for a rule the port cannot express (address
 * or service templates, which sgops never writes); its index stays reserved, so the others keep
 * their true positions.
 */
export function fromSecurityGroupPolicy(
  policy: SecurityGroupPolicy,
  fallbackIndex: number,
): IndexedRule | undefined {
  const protocol = (policy.Protocol ?? '').toUpperCase() as Protocol;
  if (!protocols.has(protocol)) return undefined;
  const action = (policy.Action ?? '').toUpperCase();
  if (action !== 'ACCEPT' && action !== 'DROP') return undefined;
  let peer: Rule['peer'];
  if (policy.SecurityGroupId) peer = { securityGroupId: policy.SecurityGroupId };
  else if (policy.CidrBlock) peer = { cidr: policy.CidrBlock };
  else if (policy.Ipv6CidrBlock) peer = { cidr: policy.Ipv6CidrBlock };
  else if (policy.AddressTemplate?.AddressId || policy.AddressTemplate?.AddressGroupId) return undefined;
  else peer = { cidr: '0.0.0.0/0' };
  const port = (policy.Port ?? '').toUpperCase();
  const rawIndex = Number(policy.PolicyIndex);
  return {
    index: Number.isInteger(rawIndex) ? rawIndex : fallbackIndex,
    protocol,
    port: port === '' || protocol === 'ALL' || (protocol !== 'TCP' && protocol !== 'UDP') ? 'ALL' : port,
    peer,
    action,
    ...(policy.PolicyDescription ? { description: policy.PolicyDescription } : {}),
  };
}
