/**
 * TKE's kubeconfig of a cluster (DescribeClusterKubeconfig), for clusters configured with
 * `kubernetes: { fromCloud: true }`. A port of its own rather than a CloudNetwork method: only
 * those clusters call it, so the CAM policy every installation needs does not list it.
 */
import type { Called } from './cloud-network.ts';

export interface ClusterKubeconfigs {
  /** The kubeconfig text, carrying the calling CAM identity's credentials: never logged or audited. */
  describeClusterKubeconfig(
    clusterId: string,
    options?: { extranet?: boolean },
  ): Promise<Called & { kubeconfig: string }>;
}

export const clusterKubeconfigActions: Record<keyof ClusterKubeconfigs, string> = {
  describeClusterKubeconfig: 'DescribeClusterKubeconfig',
};
