import { describe, expect, it } from 'vitest';
import {
  admits,
  cidrCovers,
  portSpecCovers,
} from '../../../../adapters/kubernetes/simulator/evaluate-security-group-rules.ts';
import type { NetworkRule } from '../../../../adapters/kubernetes/simulator/network-model.ts';

const dns = { protocol: 'UDP' as const, port: 53, peerIp: '10.0.64.3', peerGroups: ['sg-pod00001'] };

describe('security group rule evaluation', () => {
  it('covers addresses by CIDR prefix, a bare address as /32 and 0.0.0.0/0 as everything', () => {
    expect(cidrCovers('10.0.0.0/16', '10.0.64.3')).toBe(true);
    expect(cidrCovers('10.0.0.0/24', '10.0.64.3')).toBe(false);
    expect(cidrCovers('10.0.64.3', '10.0.64.3')).toBe(true);
    expect(cidrCovers('10.0.64.3', '10.0.64.4')).toBe(false);
    expect(cidrCovers('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(cidrCovers('10.0.0.0/33', '10.0.0.1')).toBe(false);
    expect(cidrCovers('2001:db8::/32', '10.0.0.1')).toBe(false);
  });

  it('covers ports by ALL, single ports, lists and ranges', () => {
    expect(portSpecCovers('ALL', 53)).toBe(true);
    expect(portSpecCovers('53', 53)).toBe(true);
    expect(portSpecCovers('80,443', 443)).toBe(true);
    expect(portSpecCovers('8000-8010', 8005)).toBe(true);
    expect(portSpecCovers('8000-8010', 8011)).toBe(false);
  });

  it('denies everything with no rules, as a new group does', () => {
    expect(admits([], dns)).toBe(false);
  });

  it('lets the first matching rule decide, so a DROP before an ACCEPT wins', () => {
    const drop: NetworkRule = { protocol: 'UDP', port: '53', cidr: '10.0.64.0/24', action: 'DROP' };
    const accept: NetworkRule = { protocol: 'ALL', port: 'ALL', cidr: '0.0.0.0/0', action: 'ACCEPT' };
    expect(admits([drop, accept], dns)).toBe(false);
    expect(admits([accept, drop], dns)).toBe(true);
  });

  it('matches a group peer by membership, whatever the address', () => {
    const byGroup: NetworkRule = {
      protocol: 'UDP',
      port: '53',
      securityGroupId: 'sg-pod00001',
      action: 'ACCEPT',
    };
    expect(admits([byGroup], dns)).toBe(true);
    expect(admits([byGroup], { ...dns, peerGroups: ['sg-other001'] })).toBe(false);
  });

  it('keeps protocols apart: a TCP 53 rule does not admit UDP 53', () => {
    const tcp: NetworkRule = { protocol: 'TCP', port: '53', cidr: '0.0.0.0/0', action: 'ACCEPT' };
    expect(admits([tcp], dns)).toBe(false);
    expect(admits([tcp], { ...dns, protocol: 'TCP' })).toBe(true);
  });
});
