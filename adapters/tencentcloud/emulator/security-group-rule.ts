import type { SecurityGroupPolicy } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { CloudApiError } from './cloud-api-error.ts';

/**
 * One stored rule of a security group, normalised from the case-lenient wire form. Exactly one
 * peer or template is kept; a rule that named no peer means 0.0.0.0/0 (the seed's egress command
 * relies on that).
 */
export type RulePeerKind = 'CidrBlock' | 'Ipv6CidrBlock' | 'SecurityGroupId' | 'AddressTemplate';

export interface StoredRule {
  protocol: string | undefined;
  port: string | undefined;
  serviceTemplate: { ServiceId?: string; ServiceGroupId?: string } | undefined;
  peerKind: RulePeerKind;
  peer: string;
  action: 'ACCEPT' | 'DROP';
  description: string;
  modifyTime: string;
}

const protocols = new Set(['TCP', 'UDP', 'ICMP', 'ICMPV6', 'GRE', 'ALL']);
const portedProtocols = new Set(['TCP', 'UDP']);

function invalid(field: string, message: string): CloudApiError {
  return new CloudApiError('InvalidParameterValue', `The value of \`${field}\` is invalid: ${message}`);
}

function validPortNumber(text: string): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const n = Number(text);
  return n >= 1 && n <= 65535;
}

/** "ALL", "53", "80,443", "8000-8010" (a range must be ascending). */
export function isValidPortSpec(port: string): boolean {
  if (port === 'ALL') return true;
  return port.split(',').every((part) => {
    const range = part.split('-');
    if (range.length === 1) return validPortNumber(part);
    if (range.length !== 2 || !range[0] || !range[1]) return false;
    return validPortNumber(range[0]) && validPortNumber(range[1]) && Number(range[0]) <= Number(range[1]);
  });
}

function isIpv4Cidr(text: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  return octets.every((o) => o <= 255) && prefix <= 32;
}

function isIpv6Cidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length > 0 || !address || !/^[0-9a-fA-F:]+$/.test(address) || !address.includes(':')) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
}

function upper(value: unknown): string | undefined {
  return value === undefined || value === null || value === ''
    ? undefined
    : String(value).trim().toUpperCase();
}

/** True when the wire rule names nothing but (at most) its index: a delete by PolicyIndex. */
export function isIndexOnly(policy: SecurityGroupPolicy): boolean {
  return Object.entries(policy).every(([key, value]) => key === 'PolicyIndex' || value === undefined);
}

export interface NormaliseContext {
  field: string;
  groupExists: (id: string) => boolean;
  modifyTime: string;
  /** The caller's address as the emulator saw it: what `MY_PUBLIC_IP` stands for. */
  callerIp?: string;
}

/** The documented stand-in for "the public address this request came from". */
export const myPublicIp = 'MY_PUBLIC_IP';

/**
 * `MY_PUBLIC_IP` as the API resolves it: the caller's address of the peer's family (an
 * IPv4-mapped IPv6 address counts as IPv4). A caller without one is refused.
 */
function resolveMyPublicIp(kind: 'CidrBlock' | 'Ipv6CidrBlock', ctx: NormaliseContext): string {
  const raw = ctx.callerIp ?? '';
  const v4 = raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice('::ffff:'.length) : raw;
  const found = kind === 'CidrBlock' ? (isIpv4Cidr(v4) ? v4 : '') : isIpv6Cidr(v4) ? v4.toLowerCase() : '';
  if (!found) {
    throw invalid(
      `${ctx.field}.${kind}`,
      `${myPublicIp} stands for the caller's public IP${kind === 'Ipv6CidrBlock' ? 'v6' : 'v4'} address, and this caller has none.`,
    );
  }
  return found;
}

/** "0.0.0.0/n 都会映射为0.0.0.0/0" (SecurityGroupPolicy.CidrBlock): any prefix of 0.0.0.0 means anywhere. */
function normaliseIpv4Peer(cidr: string): string {
  return /^0\.0\.0\.0\/\d{1,2}$/.test(cidr) ? '0.0.0.0/0' : cidr;
}

export function normaliseRule(policy: SecurityGroupPolicy, ctx: NormaliseContext): StoredRule {
  const { field } = ctx;
  const service = policy.ServiceTemplate;
  const hasService = service !== undefined && (service.ServiceId || service.ServiceGroupId);
  let protocol = upper(policy.Protocol);
  let port = upper(policy.Port);
  if (hasService) {
    if (protocol !== undefined || port !== undefined) {
      throw new CloudApiError(
        'InvalidParameter.Coexist',
        `${field}: ServiceTemplate cannot be given together with Protocol or Port.`,
      );
    }
  } else {
    if (protocol === undefined) {
      throw new CloudApiError('MissingParameter', `The parameter \`${field}.Protocol\` is missing.`);
    }
    if (!protocols.has(protocol)) throw invalid(`${field}.Protocol`, `unsupported protocol ${protocol}.`);
    if (portedProtocols.has(protocol)) {
      port ??= 'ALL';
      port = port.replace(/\s+/g, '');
      if (!isValidPortSpec(port)) throw invalid(`${field}.Port`, `malformed port ${port}.`);
    } else {
      if (port !== undefined && port !== 'ALL') {
        throw invalid(`${field}.Port`, `protocol ${protocol} takes no port other than ALL.`);
      }
      port = 'ALL';
    }
  }
  if (hasService) protocol = undefined;

  const peers: [RulePeerKind, string][] = [];
  if (policy.CidrBlock) peers.push(['CidrBlock', policy.CidrBlock.trim()]);
  if (policy.Ipv6CidrBlock) peers.push(['Ipv6CidrBlock', policy.Ipv6CidrBlock.trim().toLowerCase()]);
  if (policy.SecurityGroupId) peers.push(['SecurityGroupId', policy.SecurityGroupId.trim()]);
  const template = policy.AddressTemplate;
  if (template && (template.AddressId || template.AddressGroupId)) {
    peers.push(['AddressTemplate', template.AddressId ?? template.AddressGroupId ?? '']);
  }
  if (peers.length > 1) {
    throw new CloudApiError(
      'InvalidParameter.Coexist',
      `${field}: only one of CidrBlock, Ipv6CidrBlock, SecurityGroupId and AddressTemplate may be given.`,
    );
  }
  const [peerKind, given] = peers[0] ?? ['CidrBlock', '0.0.0.0/0'];
  const myIp =
    (peerKind === 'CidrBlock' || peerKind === 'Ipv6CidrBlock') && given.toUpperCase() === myPublicIp;
  let peer = myIp ? resolveMyPublicIp(peerKind, ctx) : given;
  if (peerKind === 'CidrBlock' && isIpv4Cidr(peer)) peer = normaliseIpv4Peer(peer);
  if (peerKind === 'CidrBlock' && !isIpv4Cidr(peer))
    throw invalid(`${field}.CidrBlock`, `malformed ${peer}.`);
  if (peerKind === 'Ipv6CidrBlock' && !isIpv6Cidr(peer)) {
    throw invalid(`${field}.Ipv6CidrBlock`, `malformed ${peer}.`);
  }
  // "IPv6CidrBlock和ICMP是排他关系，如需使用，请输入ICMPV6" (CreateSecurityGroupPolicies), and
  // ICMPV6 is IPv6's only. The SDKs' error lists name no code of its own for the
  // mismatch; InvalidParameterValue is the one both CreateSecurityGroupPolicies and
  // ReplaceSecurityGroupPolicy document for a value they refuse.
  if (protocol === 'ICMP' && peerKind === 'Ipv6CidrBlock')
    throw invalid(`${field}.Protocol`, 'an Ipv6CidrBlock takes ICMPV6, not ICMP.');
  if (protocol === 'ICMPV6' && peerKind === 'CidrBlock')
    throw invalid(`${field}.Protocol`, 'a CidrBlock (IPv4) takes ICMP, not ICMPV6.');
  if (peerKind === 'SecurityGroupId' && !ctx.groupExists(peer)) {
    throw new CloudApiError(
      'ResourceNotFound',
      `The security group \`${peer}\` named in ${field} does not exist.`,
    );
  }

  const action = upper(policy.Action);
  if (action === undefined)
    throw new CloudApiError('MissingParameter', `The parameter \`${field}.Action\` is missing.`);
  if (action !== 'ACCEPT' && action !== 'DROP') throw invalid(`${field}.Action`, 'must be ACCEPT or DROP.');
  // Documented: an empty description of a MY_PUBLIC_IP rule is filled in to say where the address came from.
  const description = policy.PolicyDescription || (myIp ? 'Replaced-From-MY_PUBLIC_IP' : '');
  if (description.length > 100) throw invalid(`${field}.PolicyDescription`, 'longer than 100 characters.');

  return {
    protocol,
    port,
    serviceTemplate: hasService ? { ...service } : undefined,
    peerKind,
    peer,
    action,
    description,
    modifyTime: ctx.modifyTime,
  };
}

/** What makes two rules the same: direction is implied by the list, description is ignored. */
export function ruleKey(rule: StoredRule): string {
  const service = rule.serviceTemplate
    ? `${rule.serviceTemplate.ServiceId ?? ''}/${rule.serviceTemplate.ServiceGroupId ?? ''}`
    : '';
  return [rule.protocol ?? '', rule.port ?? '', service, rule.peerKind, rule.peer, rule.action].join('|');
}

/** The wire form DescribeSecurityGroupPolicies returns for a rule at `index`. */
export function toWirePolicy(rule: StoredRule, index: number): SecurityGroupPolicy {
  const wire: SecurityGroupPolicy = {
    PolicyIndex: index,
    Protocol: rule.protocol ?? '',
    Port: rule.port ?? '',
    ServiceTemplate: {
      ServiceId: rule.serviceTemplate?.ServiceId ?? '',
      ServiceGroupId: rule.serviceTemplate?.ServiceGroupId ?? '',
    },
    CidrBlock: rule.peerKind === 'CidrBlock' ? rule.peer : '',
    Ipv6CidrBlock: rule.peerKind === 'Ipv6CidrBlock' ? rule.peer : '',
    SecurityGroupId: rule.peerKind === 'SecurityGroupId' ? rule.peer : '',
    AddressTemplate: {
      AddressId: rule.peerKind === 'AddressTemplate' && rule.peer.startsWith('ipm-') ? rule.peer : '',
      AddressGroupId: rule.peerKind === 'AddressTemplate' && !rule.peer.startsWith('ipm-') ? rule.peer : '',
    },
    Action: rule.action,
    PolicyDescription: rule.description,
    ModifyTime: rule.modifyTime,
  };
  return wire;
}
