import type * as tke from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_models.js';
import { cloudAction, type CloudAction } from './cloud-action.ts';
import { CloudApiError } from './cloud-api-error.ts';
import { filterClusters } from './cluster-filters.ts';

const maxClustersPerPage = 100;

/** TKE 2018-05-25: cluster facts the grant workflow's planning step reads (all 20 requests/s). */
function required(value: unknown, name: string): void {
  if (value === undefined || value === '') {
    throw new CloudApiError('MissingParameter', `The parameter \`${name}\` is missing.`);
  }
}

export const tkeActions: Record<string, CloudAction> = {
  DescribeClusters: cloudAction<tke.DescribeClustersRequest, tke.DescribeClustersResponse>(
    {
      ClusterIds: ['string'],
      Offset: 'number',
      Limit: 'number',
      Filters: [{ Name: 'string', Values: ['string'] }],
      ClusterType: 'string',
    },
    20,
    (request, { world, region }) => {
      const offset = request.Offset ?? 0;
      const limit = request.Limit ?? 20;
      // "最大输出条数，默认20，最大为100". The action's error list names no code of its own for
      // this; InvalidParameter.Param is its documented code for a refused parameter.
      if (!Number.isInteger(limit) || limit < 0 || limit > maxClustersPerPage)
        throw new CloudApiError(
          'InvalidParameter.Param',
          `Limit must be 0 to ${maxClustersPerPage}, not ${limit}.`,
        );
      if (!Number.isInteger(offset) || offset < 0)
        throw new CloudApiError(
          'InvalidParameter.Param',
          `Offset must be a non-negative integer, not ${offset}.`,
        );
      let clusters = filterClusters(world.clusters.describe(region, request.ClusterIds), request.Filters);
      // Every emulated cluster is a managed one.
      if (request.ClusterType && request.ClusterType !== 'MANAGED_CLUSTER') clusters = [];
      const total = clusters.length;
      return {
        TotalCount: total,
        Clusters: clusters
          .slice(offset, offset + limit)
          .map((c) => world.clusters.toWireCluster(world.clusters.get(region, c.id))),
      };
    },
  ),
  DescribeAddon: cloudAction<tke.DescribeAddonRequest, tke.DescribeAddonResponse>(
    { ClusterId: 'string', AddonName: 'string' },
    20,
    (request, { world, region }) => {
      required(request.ClusterId, 'ClusterId');
      const cluster = world.clusters.get(region, request.ClusterId);
      const addons = cluster.addons.filter((a) => !request.AddonName || a.name === request.AddonName);
      return { Addons: addons.map((a) => world.clusters.toWireAddon(a)) };
    },
  ),
  DescribeClusterVirtualNodePools: cloudAction<
    tke.DescribeClusterVirtualNodePoolsRequest,
    tke.DescribeClusterVirtualNodePoolsResponse
  >({ ClusterId: 'string' }, 20, (request, { world, region }) => {
    required(request.ClusterId, 'ClusterId');
    const cluster = world.clusters.get(region, request.ClusterId);
    return {
      TotalCount: cluster.virtualNodePools.length,
      NodePoolSet: cluster.virtualNodePools.map((p) => world.clusters.toWirePool(p)),
    };
  }),
  DescribeClusterVirtualNode: cloudAction<
    tke.DescribeClusterVirtualNodeRequest,
    tke.DescribeClusterVirtualNodeResponse
  >(
    { ClusterId: 'string', NodePoolId: 'string', NodeNames: ['string'] },
    20,
    (request, { world, region }) => {
      required(request.ClusterId, 'ClusterId');
      const cluster = world.clusters.get(region, request.ClusterId);
      const pools = cluster.virtualNodePools.filter(
        (p) => !request.NodePoolId || p.id === request.NodePoolId,
      );
      if (request.NodePoolId && pools.length === 0) {
        throw new CloudApiError(
          'ResourceNotFound',
          `The virtual node pool \`${request.NodePoolId}\` does not exist.`,
        );
      }
      const names = request.NodeNames;
      const nodes = pools
        .flatMap((p) => p.nodes)
        .filter((n) => !names || names.length === 0 || names.includes(n.name));
      return { Nodes: nodes.map((n) => world.clusters.toWireNode(n)), TotalCount: nodes.length };
    },
  ),
  DescribeClusterKubeconfig: cloudAction<
    tke.DescribeClusterKubeconfigRequest,
    tke.DescribeClusterKubeconfigResponse
  >({ ClusterId: 'string', IsExtranet: 'boolean' }, 20, (request, { world, region }) => {
    required(request.ClusterId, 'ClusterId');
    world.clusters.get(region, request.ClusterId);
    return { Kubeconfig: world.kubeconfigFor(request.ClusterId) };
  }),
};
