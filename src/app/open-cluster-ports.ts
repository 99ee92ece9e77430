/**
 * Every cluster's ports: one cloud per Tencent account and region, one Kubernetes client per
 * cluster. A cluster whose kubeconfig comes from TKE is opened on first use, asking as the
 * cluster's account in an audited call, and the kubeconfig's secrets are masked from then on.
 */
import type { RedisOptions } from 'ioredis';
import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config.ts';
import type { SecretList } from '../logging/secret-list.ts';
import { redisConnectionFromUrl } from '../engine/queues.ts';
import { auditPort } from '../audit/audit-port.ts';
import type { AuditSink } from '../audit/audit-port.ts';
import type { CloudNetwork } from '../ports/cloud-network.ts';
import type { Cluster } from '../ports/cluster.ts';
import { clusterKubeconfigActions } from '../ports/cluster-kubeconfig.ts';
import type { ClusterKubeconfigs } from '../ports/cluster-kubeconfig.ts';
import { createClusterDirectory } from '../clusters/cluster-directory.ts';
import type { ClusterDirectory } from '../clusters/cluster-directory.ts';
import type { KubernetesAccess } from '../clusters/cluster-config.ts';
import { kubeconfigSecrets } from '../../adapters/kubernetes/kubeconfig-secrets.ts';
import { createKubernetesCluster, kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { openTencentAccountPorts } from './open-tencent-account-ports.ts';
import type { TencentAccountPorts } from './open-tencent-account-ports.ts';

export function openClusterPorts(
  config: Config,
  deps: {
    secrets: SecretList;
    auditSink: AuditSink;
    standIns: {
      /** Stands in for the SDK client of every account and region (still rate-limited and audited). */
      cloud?: CloudNetwork;
      /** Stands in for the Kubernetes client of every cluster. */
      cluster?: Cluster;
    };
  },
): ClusterDirectory<TencentAccountPorts> {
  const { secrets, auditSink, standIns } = deps;
  // The rate limits' budgets live in the Redis the queues use.
  const redis = redisConnectionFromUrl(config.redis.url) as RedisOptions;
  return createClusterDirectory<TencentAccountPorts>({
    clusters: config.clusters,
    callRetriesOf: (account) => config.tencentcloud.accounts[account]!.callRetries,
    openAccount: (account, region) =>
      openTencentAccountPorts(config, account, region, {
        redis,
        secrets,
        ...(standIns.cloud ? { cloud: standIns.cloud } : {}),
      }),
    openCluster: (clusterId, settings, via) => {
      if (standIns.cluster) return standIns.cluster;
      const access = settings.kubernetes;
      if (!access.fromCloud) return createKubernetesCluster({ kubeConfig: kubeConfigOf(access) });
      // TKE's kubeconfig, asked as the cluster's account; the call is audited like any other.
      const kubeconfigs = auditPort<ClusterKubeconfigs>(
        via.kubeconfigs,
        clusterKubeconfigActions,
        auditSink,
        { requestId: null, actor: 'sgops', system: 'tencentcloud', clusterId },
        { targetOf: (_method, args) => String(args[0]), secrets: () => secrets.values() },
      );
      return kubeconfigs
        .describeClusterKubeconfig(clusterId, { extranet: access.extranet === true })
        .then(({ kubeconfig }) => {
          const kubeConfig = new KubeConfig();
          kubeConfig.loadFromString(kubeconfig);
          secrets.learn(kubeconfigSecrets(kubeConfig));
          return createKubernetesCluster({ kubeConfig });
        });
    },
  });
}

/** A cluster reached with static access: a server and token, a kubeconfig file, or in-cluster. */
function kubeConfigOf(access: KubernetesAccess): KubeConfig {
  if (access.server) {
    return kubeConfigFor({
      server: access.server,
      ...(access.token ? { token: access.token } : {}),
    });
  }
  const kc = new KubeConfig();
  if (access.kubeconfig) kc.loadFromFile(access.kubeconfig);
  else kc.loadFromCluster();
  return kc;
}
