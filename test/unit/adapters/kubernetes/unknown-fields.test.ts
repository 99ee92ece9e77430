import { describe, expect, it } from 'vitest';
import { securityGroupPolicyCrd } from '../../../../adapters/kubernetes/simulator/security-group-policy-crd.ts';
import {
  pruneUnknownFields,
  unknownFields,
} from '../../../../adapters/kubernetes/simulator/unknown-fields.ts';

const schema = securityGroupPolicyCrd().spec.versions[0].schema.openAPIV3Schema;

describe('unknownFields', () => {
  it('names the fields a structural schema does not declare, with their paths', () => {
    const policy = {
      apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: {
        podSelectr: {},
        podSelector: {
          matchLabels: { app: 'x' },
          matchExpressions: [{ key: 'k', operator: 'In', vals: [] }],
        },
        securityGroups: { groupIds: ['sg-a1b2c3d4'] },
      },
    };
    expect(unknownFields(policy, schema)).toEqual([
      'spec.podSelectr',
      'spec.podSelector.matchExpressions[0].vals',
    ]);
  });

  it('accepts maps declared through additionalProperties', () => {
    expect(unknownFields({ spec: { podSelector: { matchLabels: { any: 'thing' } } } }, schema)).toEqual([]);
  });

  it('prunes them in place, keeping what the schema declares and what every object has', () => {
    const policy = {
      apiVersion: 'v',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'p' },
      status: { phase: 'x' },
      spec: { podSelector: { matchExpressions: [{ key: 'k', operator: 'In', vals: [] }] } },
    };
    expect(pruneUnknownFields(policy, schema)).toEqual([
      'status',
      'spec.podSelector.matchExpressions[0].vals',
    ]);
    expect(policy).toEqual({
      apiVersion: 'v',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'p' },
      spec: { podSelector: { matchExpressions: [{ key: 'k', operator: 'In' }] } },
    });
  });
});
