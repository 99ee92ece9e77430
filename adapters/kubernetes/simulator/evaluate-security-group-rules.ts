import type { NetworkRule } from './network-model.ts';

/** One direction of one connection, seen from the group whose rules are evaluated. */
export interface Flow {
  protocol: 'TCP' | 'UDP';
  port: number;
  /** The other side's address and groups. */
  peerIp: string;
  peerGroups: readonly string[];
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether an IPv4 CIDR (`10.0.0.0/16`, or a bare address as /32) contains the address. */
export function cidrCovers(cidr: string, ip: string): boolean {
  const [base, prefixText] = cidr.split('/');
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  const network = ipv4ToNumber(base ?? '');
  const address = ipv4ToNumber(ip);
  if (network === undefined || address === undefined || !(prefix >= 0 && prefix <= 32)) return false;
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(network / size) === Math.floor(address / size);
}

/** `ALL`, `53`, `80,443`, `8000-8010`. */
export function portSpecCovers(spec: string, port: number): boolean {
  if (spec.toUpperCase() === 'ALL') return true;
  return spec.split(',').some((part) => {
    const [low, high] = part.trim().split('-');
    if (high === undefined) return Number(low) === port;
    return Number(low) <= port && port <= Number(high);
  });
}

export function ruleMatches(rule: NetworkRule, flow: Flow): boolean {
  const protocol = rule.protocol.toUpperCase();
  if (protocol !== 'ALL' && protocol !== flow.protocol) return false;
  if (!portSpecCovers(rule.port, flow.port)) return false;
  if (rule.securityGroupId !== undefined) return flow.peerGroups.includes(rule.securityGroupId);
  return cidrCovers(rule.cidr ?? '0.0.0.0/0', flow.peerIp);
}

/** First match wins; no match denies, as a new (empty) Tencent Cloud security group does. */
export function admits(rules: readonly NetworkRule[], flow: Flow): boolean {
  const first = rules.find((rule) => ruleMatches(rule, flow));
  return first?.action === 'ACCEPT';
}
