import type { Filter } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_models.js';
import { CloudApiError } from './cloud-api-error.ts';
import type { SeedCluster } from './cluster-store.ts';

/**
 * DescribeClusters' documented `Filters`: ClusterName, ClusterType, ClusterStatus, vpc-id,
 * tag-key, tag-value and Tags (`key:value`). Values of one filter are OR-ed, filters AND-ed.
 * ClusterName matches a substring (whether the real one is exact is unverified, as for the
 * security-group name filter, so clients re-check names). Every emulated cluster is a
 * MANAGED_CLUSTER and carries no tags, so a tag filter matches none.
 */
const emulatedClusterType = 'MANAGED_CLUSTER';

function matcher(name: string): (cluster: SeedCluster, values: string[]) => boolean {
  switch (name) {
    case 'ClusterName':
      return (c, values) => values.some((v) => c.name.includes(v));
    case 'ClusterType':
      return (_c, values) => values.includes(emulatedClusterType);
    case 'ClusterStatus':
      return (c, values) => values.includes(c.status);
    case 'vpc-id':
      return (c, values) => values.includes(c.vpcId);
    case 'tag-key':
    case 'tag-value':
    case 'Tags':
      return () => false;
    default:
      throw new CloudApiError('InvalidParameter.Param', `The filter \`${name}\` is not supported.`);
  }
}

export function filterClusters(clusters: SeedCluster[], filters: Filter[] | undefined): SeedCluster[] {
  return (filters ?? []).reduce((kept, filter) => {
    const matches = matcher(filter.Name);
    const values = (filter.Values ?? []).map(String);
    return kept.filter((c) => matches(c, values));
  }, clusters);
}
