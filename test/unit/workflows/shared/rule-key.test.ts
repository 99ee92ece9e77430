import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/ports/cloud-network.ts';
import { ruleKey, sameRule } from '../../../../workflows/shared/rules/rules.ts';

const https: Rule = {
  protocol: 'TCP',
  port: '80,443',
  peer: { cidr: '10.0.0.0/8' },
  action: 'ACCEPT',
  description: 'sgops R7K2: allow',
};

describe('ruleKey', () => {
  it('keys a rule by what it admits, not by how it is described or spaced', () => {
    const same = { ...https, port: '80, 443', description: 'edited by hand' };
    expect(ruleKey(same)).toBe(ruleKey(https));
    expect(sameRule(same, https)).toBe(true);
  });

  it('tells apart rules that differ in port, peer or action', () => {
    for (const other of [
      { ...https, port: '443' },
      { ...https, peer: { securityGroupId: 'sg-a0000001' } },
      { ...https, action: 'DROP' as const },
    ]) {
      expect(ruleKey(other)).not.toBe(ruleKey(https));
      expect(sameRule(other, https)).toBe(false);
    }
  });
});
