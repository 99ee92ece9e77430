import { describe, expect, it } from 'vitest';
import { securityGroupPolicyCrd } from '../../../../adapters/kubernetes/simulator/security-group-policy-crd.ts';
import { unknownFields } from '../../../../adapters/kubernetes/simulator/unknown-fields.ts';

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
});
