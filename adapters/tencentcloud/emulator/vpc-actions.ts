import type * as vpc from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { cloudAction, type CloudAction } from './cloud-action.ts';
import { CloudApiError } from './cloud-api-error.ts';
import type { RequestShape } from './request-shape.ts';
import {
  createSecurityGroupPolicies,
  deleteSecurityGroupPolicies,
  describeSecurityGroupPolicies,
  replaceSecurityGroupPolicy,
} from './security-group-policies.ts';

/** VPC 2017-03-12: the security-group actions sgops uses (and their neighbours in tests). */
const filterShape: RequestShape<vpc.Filter> = { Name: 'string', Values: ['string'] };

const policyShape: RequestShape<vpc.SecurityGroupPolicy> = {
  PolicyIndex: 'number',
  Protocol: 'string',
  Port: 'string',
  ServiceTemplate: { ServiceId: 'string', ServiceGroupId: 'string' },
  CidrBlock: 'string',
  Ipv6CidrBlock: 'string',
  SecurityGroupId: 'string',
  AddressTemplate: { AddressId: 'string', AddressGroupId: 'string' },
  Action: 'string',
  PolicyDescription: 'string',
  ModifyTime: 'string',
  Priority: 'number',
};

const policySetShape: RequestShape<vpc.SecurityGroupPolicySet> = {
  Version: 'string',
  Egress: [policyShape],
  Ingress: [policyShape],
  PolicyStatistics: {
    IngressIPv4TotalCount: 'number',
    IngressIPv6TotalCount: 'number',
    EgressIPv4TotalCount: 'number',
    EgressIPv6TotalCount: 'number',
  },
};

function required(value: unknown, name: string): void {
  if (value === undefined || value === '') {
    throw new CloudApiError('MissingParameter', `The parameter \`${name}\` is missing.`);
  }
}

export const vpcActions: Record<string, CloudAction> = {
  CreateSecurityGroup: cloudAction<vpc.CreateSecurityGroupRequest, vpc.CreateSecurityGroupResponse>(
    {
      GroupName: 'string',
      GroupDescription: 'string',
      ProjectId: 'string',
      Tags: [{ Key: 'string', Value: 'string' }],
    },
    100,
    (request, { world, region }) => {
      const group = world.groups.create(region, request);
      return { SecurityGroup: world.groups.toWire(group) };
    },
  ),
  DescribeSecurityGroups: cloudAction<vpc.DescribeSecurityGroupsRequest, vpc.DescribeSecurityGroupsResponse>(
    {
      SecurityGroupIds: ['string'],
      Filters: [filterShape],
      Offset: 'string',
      Limit: 'string',
      OrderField: 'string',
      OrderDirection: 'string',
    },
    100,
    (request, { world, region }) => {
      const { groups, total } = world.groups.describe(region, request);
      return { SecurityGroupSet: groups.map((g) => world.groups.toWire(g)), TotalCount: total };
    },
  ),
  DeleteSecurityGroup: cloudAction<vpc.DeleteSecurityGroupRequest, vpc.DeleteSecurityGroupResponse>(
    { SecurityGroupId: 'string' },
    // Documented 100/s (cloud.tencent.com/document/api/215/15803), not the unverified fallback 20.
    100,
    (request, { world, region }) => {
      required(request.SecurityGroupId, 'SecurityGroupId');
      world.groups.delete(region, request.SecurityGroupId);
      return {};
    },
  ),
  DescribeSecurityGroupReferences: cloudAction<
    vpc.DescribeSecurityGroupReferencesRequest,
    vpc.DescribeSecurityGroupReferencesResponse
  >({ SecurityGroupIds: ['string'] }, 20, (request, { world, region }) => {
    required(request.SecurityGroupIds, 'SecurityGroupIds');
    return {
      ReferredSecurityGroupSet: request.SecurityGroupIds.map((id) => {
        world.groups.get(region, id);
        return { SecurityGroupId: id, ReferredSecurityGroupIds: world.groups.referrers(id) };
      }),
    };
  }),
  // The SDK types this request as `null`: no field is accepted.
  DescribeSecurityGroupLimits: cloudAction<Record<never, never>, vpc.DescribeSecurityGroupLimitsResponse>(
    {},
    20,
    (_request, { world }) => ({ SecurityGroupLimitSet: { ...world.limits } }),
  ),
  CreateSecurityGroupPolicies: cloudAction<
    vpc.CreateSecurityGroupPoliciesRequest,
    vpc.CreateSecurityGroupPoliciesResponse
  >(
    { SecurityGroupId: 'string', SecurityGroupPolicySet: policySetShape },
    100,
    (request, { world, region, callerIp }) => {
      required(request.SecurityGroupId, 'SecurityGroupId');
      createSecurityGroupPolicies(world.groups, region, request, world.rulesPerDirection, callerIp);
      return {};
    },
  ),
  DescribeSecurityGroupPolicies: cloudAction<
    vpc.DescribeSecurityGroupPoliciesRequest,
    vpc.DescribeSecurityGroupPoliciesResponse
  >({ SecurityGroupId: 'string', Filters: [filterShape] }, 100, (request, { world, region }) => {
    required(request.SecurityGroupId, 'SecurityGroupId');
    return { SecurityGroupPolicySet: describeSecurityGroupPolicies(world.groups, region, request) };
  }),
  DeleteSecurityGroupPolicies: cloudAction<
    vpc.DeleteSecurityGroupPoliciesRequest,
    vpc.DeleteSecurityGroupPoliciesResponse
  >(
    { SecurityGroupId: 'string', SecurityGroupPolicySet: policySetShape },
    100,
    (request, { world, region, callerIp }) => {
      required(request.SecurityGroupId, 'SecurityGroupId');
      deleteSecurityGroupPolicies(world.groups, region, request, callerIp);
      return {};
    },
  ),
  ReplaceSecurityGroupPolicy: cloudAction<
    vpc.ReplaceSecurityGroupPolicyRequest,
    vpc.ReplaceSecurityGroupPolicyResponse
  >(
    {
      SecurityGroupId: 'string',
      SecurityGroupPolicySet: policySetShape,
      OriginalSecurityGroupPolicySet: policySetShape,
    },
    100,
    (request, { world, region, callerIp }) => {
      required(request.SecurityGroupId, 'SecurityGroupId');
      replaceSecurityGroupPolicy(world.groups, region, request, callerIp);
      return {};
    },
  ),
};
