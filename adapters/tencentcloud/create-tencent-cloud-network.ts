import type { ClientConfig } from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface.js';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/index.js';
import type * as tkeModels from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_models.js';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/index.js';
import type * as vpcModels from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { AppError } from '../../src/errors.ts';
import type { CloudNetwork, IndexedRule, SecurityGroup } from '../../src/ports/cloud-network.ts';
import { httpProfileOf } from './cloud-endpoint.ts';
import { mapTencentError } from './map-tencent-error.ts';
import type { CloudCredential } from './refreshing-credential.ts';
import { fromSecurityGroupPolicy, toSecurityGroupPolicy } from './security-group-rule-wire.ts';

/**
 * CloudNetwork over tencentcloud-sdk-nodejs. One port method is one API call (the quota read is
 * two, see sdk-actions-of.ts) and no retries happen here: the engine retries whole steps with
 * backoff, and the audit trail records every call once, with the RequestId returned here.
 */
export type TencentCloudNetworkOptions = (
  | { secretId: string; secretKey: string; token?: string }
  /** Keys asked for before every call (createCloudCredential: static, AssumeRole or OIDC). */
  | { credential: CloudCredential }
) & {
  region: string;
  /** e.g. 'http://127.0.0.1:7701' (the emulator); default the public vpc/tke endpoints over https. */
  endpoint?: string;
  /** Per call; default 10 s. */
  timeoutMs?: number;
};

interface SdkClient {
  request(action: string, req: unknown, options?: { signal?: AbortSignal }): Promise<unknown>;
}

function tagsOf(tagSet: vpcModels.Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tagSet ?? []).map((t) => [t.Key, t.Value ?? '']));
}

function toGroup(group: vpcModels.SecurityGroup): SecurityGroup {
  return {
    id: group.SecurityGroupId,
    name: group.SecurityGroupName,
    description: group.SecurityGroupDesc,
    projectId: String(group.ProjectId ?? '0'),
    tags: tagsOf(group.TagSet),
    createdTime: group.CreatedTime ?? '',
  };
}

function toRules(policies: vpcModels.SecurityGroupPolicy[] | undefined): IndexedRule[] {
  return (policies ?? []).flatMap((p, i) => fromSecurityGroupPolicy(p, i) ?? []);
}

function requestIdOf(response: { RequestId?: string }): string {
  return response.RequestId ?? '';
}

export function createTencentCloudNetwork(options: TencentCloudNetworkOptions): CloudNetwork {
  // Every request names its region (X-TC-Region); without one the cloud answers nothing useful.
  if (!/^[a-z]+(-[a-z0-9]+)+$/.test(options.region)) {
    throw new AppError('CONFIG_INVALID', `Tencent Cloud region "${options.region}" is not a region id`, {
      hint: 'Set the region of the cluster, e.g. ap-guangzhou.',
    });
  }
  if ('token' in options && options.token === '') {
    throw new AppError('CONFIG_INVALID', 'The Tencent Cloud token is empty', {
      hint: 'Leave the token out for a permanent key, or set the STS token of the temporary credentials.',
    });
  }
  const credential: CloudCredential =
    'credential' in options
      ? options.credential
      : {
          getCredential: () =>
            Promise.resolve({
              secretId: options.secretId,
              secretKey: options.secretKey,
              ...(options.token === undefined ? {} : { token: options.token }),
            }),
        };
  const timeoutMs = options.timeoutMs ?? 10_000;
  function client(service: 'vpc' | 'tke'): SdkClient {
    const config: ClientConfig = {
      credential,
      region: options.region,
      profile: { httpProfile: httpProfileOf(options.endpoint, service, timeoutMs) },
    };
    return service === 'vpc' ? new vpc.v20170312.Client(config) : new tke.v20180525.Client(config);
  }
  const vpcClient = client('vpc');
  const tkeClient = client('tke');

  async function call<Req, Res>(sdk: SdkClient, action: string, request: Req): Promise<Res> {
    // Keys first, so a failed STS exchange is its own AppError and not an SDK "network" error;
    // the client's own ask right after finds them cached.
    try {
      await credential.getCredential();
    } catch (error) {
      throw mapTencentError(error, { action, timedOut: false });
    }
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return (await sdk.request(action, request, { signal })) as Res;
    } catch (error) {
      throw mapTencentError(error, { action, timedOut: signal.aborted });
    }
  }

  return {
    async describeClusters(clusterIds) {
      const res = await call<tkeModels.DescribeClustersRequest, tkeModels.DescribeClustersResponse>(
        tkeClient,
        'DescribeClusters',
        { ClusterIds: clusterIds },
      );
      return {
        requestId: requestIdOf(res),
        clusters: (res.Clusters ?? []).map((c) => ({
          id: c.ClusterId ?? '',
          name: c.ClusterName ?? '',
          version: c.ClusterVersion ?? '',
          status: c.ClusterStatus ?? '',
          vpcId: c.ClusterNetworkSettings?.VpcId ?? '',
          isDualStack: c.ClusterNetworkSettings?.IsDualStack === true,
        })),
      };
    },

    async describeAddon(clusterId, addonName) {
      try {
        const res = await call<tkeModels.DescribeAddonRequest, tkeModels.DescribeAddonResponse>(
          tkeClient,
          'DescribeAddon',
          { ClusterId: clusterId, AddonName: addonName },
        );
        return {
          requestId: requestIdOf(res),
          addons: (res.Addons ?? []).map((a) => ({
            name: a.AddonName ?? '',
            version: a.AddonVersion ?? '',
            phase: a.Phase ?? '',
            reason: a.Reason ?? '',
          })),
        };
      } catch (error) {
        // Whether a missing add-on is an empty list or a ResourceNotFound* is unverified: both mean "none".
        // A missing cluster is not a missing add-on, so that one still fails.
        const vendorCode = error instanceof AppError ? error.details.vendorCode : undefined;
        if (
          error instanceof AppError &&
          error.code === 'CLOUD_NOT_FOUND' &&
          typeof vendorCode === 'string' &&
          !vendorCode.includes('Cluster')
        ) {
          return { requestId: String(error.details.requestId ?? ''), addons: [] };
        }
        throw error;
      }
    },

    async describeClusterVirtualNodes(clusterId) {
      const res = await call<
        tkeModels.DescribeClusterVirtualNodeRequest,
        tkeModels.DescribeClusterVirtualNodeResponse
      >(tkeClient, 'DescribeClusterVirtualNode', { ClusterId: clusterId });
      return {
        requestId: requestIdOf(res),
        nodes: (res.Nodes ?? []).map((n) => ({
          name: n.Name ?? '',
          subnetId: n.SubnetId ?? '',
          phase: n.Phase ?? '',
        })),
      };
    },

    async describeSecurityGroups(query) {
      const request: vpcModels.DescribeSecurityGroupsRequest = {};
      let exactName: string | undefined;
      if ('ids' in query) {
        request.SecurityGroupIds = query.ids;
        request.Limit = String(Math.min(100, Math.max(20, query.ids.length)));
      } else {
        const filters: vpcModels.Filter[] = [];
        if (query.name !== undefined) {
          exactName = query.name;
          filters.push({ Name: 'security-group-name', Values: [query.name] });
        }
        for (const [key, value] of Object.entries(query.tags ?? {}))
          filters.push({ Name: `tag:${key}`, Values: [value] });
        if (filters.length > 0) request.Filters = filters;
        if (query.offset !== undefined) request.Offset = String(query.offset);
        if (query.limit !== undefined) request.Limit = String(query.limit);
      }
      const res = await call<
        vpcModels.DescribeSecurityGroupsRequest,
        vpcModels.DescribeSecurityGroupsResponse
      >(vpcClient, 'DescribeSecurityGroups', request);
      const page = (res.SecurityGroupSet ?? []).map(toGroup);
      // The name filter may match loosely; only the exact name counts (the total drops by what this page dropped).
      const groups = exactName === undefined ? page : page.filter((g) => g.name === exactName);
      return {
        requestId: requestIdOf(res),
        groups,
        totalCount: (res.TotalCount ?? page.length) - (page.length - groups.length),
      };
    },

    async createSecurityGroup(input) {
      const res = await call<vpcModels.CreateSecurityGroupRequest, vpcModels.CreateSecurityGroupResponse>(
        vpcClient,
        'CreateSecurityGroup',
        {
          GroupName: input.name,
          GroupDescription: input.description,
          Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
        },
      );
      if (!res.SecurityGroup) {
        throw new AppError('CLOUD_INTERNAL', 'CreateSecurityGroup answered without a SecurityGroup', {
          details: { action: 'CreateSecurityGroup', requestId: res.RequestId },
          retryable: false,
        });
      }
      return { requestId: requestIdOf(res), group: toGroup(res.SecurityGroup) };
    },

    async deleteSecurityGroup(securityGroupId) {
      const res = await call<vpcModels.DeleteSecurityGroupRequest, vpcModels.DeleteSecurityGroupResponse>(
        vpcClient,
        'DeleteSecurityGroup',
        { SecurityGroupId: securityGroupId },
      );
      return { requestId: requestIdOf(res) };
    },

    async describeSecurityGroupPolicies(securityGroupId) {
      const res = await call<
        vpcModels.DescribeSecurityGroupPoliciesRequest,
        vpcModels.DescribeSecurityGroupPoliciesResponse
      >(vpcClient, 'DescribeSecurityGroupPolicies', { SecurityGroupId: securityGroupId });
      const set = res.SecurityGroupPolicySet;
      return {
        requestId: requestIdOf(res),
        ruleSet: {
          version: String(set?.Version ?? '0'),
          ingress: toRules(set?.Ingress),
          egress: toRules(set?.Egress),
        },
      };
    },

    async createSecurityGroupPolicies(input) {
      const policies = input.rules.map((rule) => ({
        ...toSecurityGroupPolicy(rule),
        ...(input.index === undefined ? {} : { PolicyIndex: input.index }),
      }));
      const set: vpcModels.SecurityGroupPolicySet =
        input.direction === 'ingress' ? { Ingress: policies } : { Egress: policies };
      if (input.version !== undefined) set.Version = input.version;
      const res = await call<
        vpcModels.CreateSecurityGroupPoliciesRequest,
        vpcModels.CreateSecurityGroupPoliciesResponse
      >(vpcClient, 'CreateSecurityGroupPolicies', {
        SecurityGroupId: input.securityGroupId,
        SecurityGroupPolicySet: set,
      });
      return { requestId: requestIdOf(res) };
    },

    async describeSecurityGroupReferences(securityGroupIds) {
      const res = await call<
        vpcModels.DescribeSecurityGroupReferencesRequest,
        vpcModels.DescribeSecurityGroupReferencesResponse
      >(vpcClient, 'DescribeSecurityGroupReferences', { SecurityGroupIds: securityGroupIds });
      return {
        requestId: requestIdOf(res),
        references: (res.ReferredSecurityGroupSet ?? []).map((r) => ({
          securityGroupId: r.SecurityGroupId ?? '',
          referredBy: r.ReferredSecurityGroupIds ?? [],
        })),
      };
    },

    async describeSecurityGroupLimits() {
      // Quotas only: SecurityGroupLimitSet carries no usage (callers count with describeSecurityGroups).
      const res = await call<
        vpcModels.DescribeSecurityGroupLimitsRequest,
        vpcModels.DescribeSecurityGroupLimitsResponse
      >(vpcClient, 'DescribeSecurityGroupLimits', null);
      const set = res.SecurityGroupLimitSet;
      if (set?.SecurityGroupLimit === undefined || set.SecurityGroupPolicyLimit === undefined) {
        throw new AppError('CLOUD_INTERNAL', 'DescribeSecurityGroupLimits answered without the quotas', {
          details: { action: 'DescribeSecurityGroupLimits', requestId: res.RequestId },
          retryable: false,
        });
      }
      return {
        requestId: requestIdOf(res),
        limits: {
          groupLimit: set.SecurityGroupLimit,
          rulesPerGroupLimit: set.SecurityGroupPolicyLimit,
        },
      };
    },

    async deleteSecurityGroupPolicies(input) {
      // Matched by content: the description is no part of a rule's identity.
      const policies = input.rules.map((rule) => toSecurityGroupPolicy({ ...rule, description: undefined }));
      const set: vpcModels.SecurityGroupPolicySet =
        input.direction === 'ingress' ? { Ingress: policies } : { Egress: policies };
      if (input.version !== undefined) set.Version = input.version;
      const res = await call<
        vpcModels.DeleteSecurityGroupPoliciesRequest,
        vpcModels.DeleteSecurityGroupPoliciesResponse
      >(vpcClient, 'DeleteSecurityGroupPolicies', {
        SecurityGroupId: input.securityGroupId,
        SecurityGroupPolicySet: set,
      });
      return { requestId: requestIdOf(res) };
    },
  };
}
