import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/index.js';
import type * as tkeModels from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_models.js';
import { AppError } from '../../src/errors.ts';
import type { ClusterKubeconfigs } from '../../src/ports/cluster-kubeconfig.ts';
import { httpProfileOf } from './cloud-endpoint.ts';
import { mapTencentError } from './map-tencent-error.ts';
import type { CloudCredential } from './refreshing-credential.ts';

export interface ClusterKubeconfigsOptions {
  /** The same provider as the account's CloudNetwork, so an STS exchange is shared. */
  credential: CloudCredential;
  region: string;
  endpoint?: string;
  /** Per call; default 10 s. */
  timeoutMs?: number;
}

/** DescribeClusterKubeconfig over tencentcloud-sdk-nodejs: one port method, one call, no retries. */
export function createClusterKubeconfigs(options: ClusterKubeconfigsOptions): ClusterKubeconfigs {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = new tke.v20180525.Client({
    credential: options.credential,
    region: options.region,
    profile: { httpProfile: httpProfileOf(options.endpoint, 'tke', timeoutMs) },
  });
  const action = 'DescribeClusterKubeconfig';
  return {
    async describeClusterKubeconfig(clusterId, { extranet = false } = {}) {
      try {
        await options.credential.getCredential();
      } catch (error) {
        throw mapTencentError(error, { action, timedOut: false });
      }
      const signal = AbortSignal.timeout(timeoutMs);
      let res: tkeModels.DescribeClusterKubeconfigResponse;
      try {
        res = (await client.request(
          action,
          { ClusterId: clusterId, IsExtranet: extranet } satisfies tkeModels.DescribeClusterKubeconfigRequest,
          { signal },
        )) as tkeModels.DescribeClusterKubeconfigResponse;
      } catch (error) {
        throw mapTencentError(error, { action, timedOut: signal.aborted });
      }
      if (!res.Kubeconfig)
        throw new AppError('CLOUD_INVALID', `TKE returned no kubeconfig for ${clusterId}.`, {
          hint: `Enable the cluster's ${extranet ? 'internet' : 'intranet'} API server access (cluster → Basic information).`,
          details: { requestId: res.RequestId ?? '' },
        });
      return { requestId: res.RequestId ?? '', kubeconfig: res.Kubeconfig };
    },
  };
}
