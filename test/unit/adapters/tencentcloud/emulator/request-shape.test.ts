import type { CreateSecurityGroupPoliciesRequest } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { describe, expect, it } from 'vitest';
import { vpcActions } from '../../../../../adapters/tencentcloud/emulator/vpc-actions.ts';
import { validateRequest } from '../../../../../adapters/tencentcloud/emulator/request-shape.ts';

const shape = vpcActions.CreateSecurityGroupPolicies?.shape as never;

describe('request shapes derived from the SDK models', () => {
  it('coerces case-lenient scalars such as a PolicyIndex given as a string', () => {
    const request = validateRequest<CreateSecurityGroupPoliciesRequest>(
      {
        SecurityGroupId: 'sg-1',
        SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: '1', Protocol: 'tcp', Port: 53 }] },
      },
      shape,
    );
    expect(request.SecurityGroupPolicySet.Ingress?.[0]).toEqual({
      PolicyIndex: 1,
      Protocol: 'tcp',
      Port: '53',
    });
  });

  it('names the full path of an unknown field', () => {
    expect(() =>
      validateRequest(
        { SecurityGroupId: 'sg-1', SecurityGroupPolicySet: { Ingress: [{ Bogus: 1 }] } },
        shape,
      ),
    ).toThrow('SecurityGroupPolicySet.Ingress.0.Bogus');
  });

  it('refuses an object where a list belongs', () => {
    expect(() => validateRequest({ SecurityGroupPolicySet: { Ingress: {} } }, shape)).toThrow(
      /must be an array/,
    );
  });
});
