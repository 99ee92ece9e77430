/**
 * The ports of every cluster sgops serves: one cloud per account and region (so one rate-limit
 * budget each, as a single account had), one Kubernetes client per cluster. Built at start, but
 * for clusters whose kubeconfig comes from TKE: those are opened on first use, and a failure
 * there is not remembered, so the next use asks again.
 */
import { AppError } from '../errors.ts';
import type { CloudNetwork } from '../ports/cloud-network.ts';
import type { Cluster } from '../ports/cluster.ts';
import type { CallRetrySettings, ClusterSettings } from './cluster-config.ts';
import type { ClusterReadCache } from './share-cluster-reads.ts';

/** What one account in one region gives: its cloud port, and whatever else the opener needs. */
export interface AccountPorts {
  cloud: CloudNetwork;
  /** Reads shared by the grants of this account and region (see share-cluster-reads.ts); none when off. */
  readCache?: ClusterReadCache;
  close?(): Promise<void>;
}

export interface ClusterPorts<A extends AccountPorts = AccountPorts> {
  clusterId: string;
  account: string;
  region: string;
  callRetries: CallRetrySettings;
  /** Not audited: callers wrap it per job or per person. */
  cloud: CloudNetwork;
  readCache?: ClusterReadCache;
  cluster: Cluster;
  /** The account-and-region ports the cluster was opened with. */
  via: A;
}

export interface ClusterDirectory<A extends AccountPorts = AccountPorts> {
  /** Every configured cluster, in the configuration's order. */
  readonly clusterIds: readonly string[];
  /** The cluster's ports; an unknown id is CONFIG_INVALID naming the known ones. */
  portsFor(clusterId: string): Promise<ClusterPorts<A>>;
  close(): Promise<void>;
}

export interface ClusterDirectoryOptions<A extends AccountPorts> {
  clusters: Record<string, ClusterSettings>;
  callRetriesOf(account: string): CallRetrySettings;
  openAccount(account: string, region: string): A;
  /** Called at once for static access (a bad kubeconfig fails start), lazily for `fromCloud`. */
  openCluster(clusterId: string, settings: ClusterSettings, via: A): Cluster | Promise<Cluster>;
}

export function createClusterDirectory<A extends AccountPorts>(
  options: ClusterDirectoryOptions<A>,
): ClusterDirectory<A> {
  const accounts = new Map<string, A>();
  const accountFor = (settings: ClusterSettings): A => {
    const key = JSON.stringify([settings.account, settings.region]);
    let opened = accounts.get(key);
    if (opened === undefined) {
      opened = options.openAccount(settings.account, settings.region);
      accounts.set(key, opened);
    }
    return opened;
  };
  const clusterIds = Object.keys(options.clusters);
  const opened = new Map<string, Promise<Cluster>>();
  for (const [id, settings] of Object.entries(options.clusters)) {
    const via = accountFor(settings);
    if (!settings.kubernetes.fromCloud)
      opened.set(id, Promise.resolve(options.openCluster(id, settings, via)));
  }

  function clusterOf(id: string, settings: ClusterSettings, via: A): Promise<Cluster> {
    let cluster = opened.get(id);
    if (cluster === undefined) {
      cluster = Promise.resolve()
        .then(() => options.openCluster(id, settings, via))
        .catch((error: unknown) => {
          opened.delete(id);
          throw error;
        });
      opened.set(id, cluster);
    }
    return cluster;
  }

  return {
    clusterIds,
    async portsFor(clusterId) {
      const settings = options.clusters[clusterId];
      if (settings === undefined)
        throw new AppError('CONFIG_INVALID', `sgops is not configured for cluster ${clusterId}.`, {
          hint: `Configured clusters: ${clusterIds.join(', ')}. Add it under \`clusters\` to serve it.`,
          details: { clusterId, known: clusterIds },
        });
      const via = accountFor(settings);
      return {
        clusterId,
        account: settings.account,
        region: settings.region,
        callRetries: options.callRetriesOf(settings.account),
        cloud: via.cloud,
        ...(via.readCache ? { readCache: via.readCache } : {}),
        cluster: await clusterOf(clusterId, settings, via),
        via,
      };
    },
    async close() {
      await Promise.all([...accounts.values()].map((a) => a.close?.()));
    },
  };
}
