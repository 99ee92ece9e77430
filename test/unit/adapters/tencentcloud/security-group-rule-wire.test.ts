import { readFileSync } from 'node:fs';
import type { SecurityGroupPolicy } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { describe, expect, it } from 'vitest';
import {
  fromSecurityGroupPolicy,
  toSecurityGroupPolicy,
} from '../../../../adapters/tencentcloud/security-group-rule-wire.ts';

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/tencentcloud/describe-security-group-policies.json', import.meta.url),
    'utf8',
  ),
) as {
  Response: { SecurityGroupPolicySet: { Ingress: SecurityGroupPolicy[]; Egress: SecurityGroupPolicy[] } };
};

describe('security group rules on the wire', () => {
  it('always writes the peer explicitly and a port only where the protocol takes one', () => {
    expect(
      toSecurityGroupPolicy({
        protocol: 'UDP',
        port: '53',
        peer: { securityGroupId: 'sg-aaaaaaaa' },
        action: 'ACCEPT',
      }),
    ).toEqual({
      Protocol: 'UDP',
      Port: '53',
      SecurityGroupId: 'sg-aaaaaaaa',
      Action: 'ACCEPT',
    });
    expect(
      toSecurityGroupPolicy({
        protocol: 'ALL',
        port: 'ALL',
        peer: { cidr: '0.0.0.0/0' },
        action: 'ACCEPT',
        description: 'all',
      }),
    ).toEqual({
      Protocol: 'ALL',
      Port: 'ALL',
      CidrBlock: '0.0.0.0/0',
      Action: 'ACCEPT',
      PolicyDescription: 'all',
    });
    expect(
      toSecurityGroupPolicy({ protocol: 'ICMPV6', port: 'ALL', peer: { cidr: '::/0' }, action: 'DROP' }),
    ).toEqual({
      Protocol: 'ICMPV6',
      Ipv6CidrBlock: '::/0',
      Action: 'DROP',
    });
  });

  it('reads a described rule set, normalising case and keeping the true indexes around template rules', () => {
    const { Ingress, Egress } = fixture.Response.SecurityGroupPolicySet;
    const ingress = Ingress.flatMap((p, i) => fromSecurityGroupPolicy(p, i) ?? []);
    expect(ingress).toEqual([
      {
        index: 0,
        protocol: 'UDP',
        port: '53',
        peer: { securityGroupId: 'sg-ohuuioma' },
        action: 'ACCEPT',
        description: 'dns from pods',
      },
      { index: 2, protocol: 'TCP', port: '80,443', peer: { cidr: '10.0.0.0/16' }, action: 'ACCEPT' },
      { index: 3, protocol: 'ALL', port: 'ALL', peer: { cidr: '0.0.0.0/0' }, action: 'DROP' },
    ]);
    expect(Egress.map((p, i) => fromSecurityGroupPolicy(p, i))).toEqual([
      { index: 0, protocol: 'ICMPV6', port: 'ALL', peer: { cidr: '::/0' }, action: 'ACCEPT' },
    ]);
  });
});
