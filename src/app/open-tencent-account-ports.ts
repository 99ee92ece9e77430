/**
 * One Tencent Cloud account in one region: its cloud port (on a rate budget of its own, shared by
 * every replica through Redis) and TKE's kubeconfigs, both signed with the account's credential.
 */
import { createHash } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import type { Config } from '../config.ts';
import { learningCredential, type SecretList } from '../logging/secret-list.ts';
import type { CloudNetwork } from '../ports/cloud-network.ts';
import type { ClusterKubeconfigs } from '../ports/cluster-kubeconfig.ts';
import type { AccountPorts } from '../clusters/cluster-directory.ts';
import { createTencentCloudNetwork } from '../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createClusterKubeconfigs } from '../../adapters/tencentcloud/create-cluster-kubeconfigs.ts';
import {
  createCloudCredential,
  credentialIdentity,
  type CredentialSpec,
} from '../../adapters/tencentcloud/create-cloud-credential.ts';
import { createClusterReadCache } from '../clusters/share-cluster-reads.ts';
import { createRateLimitedCloudNetwork } from '../../adapters/tencentcloud/create-rate-limited-cloud-network.ts';

/** One account in one region: its cloud port, on a rate budget of its own, and TKE's kubeconfigs. */
export interface TencentAccountPorts extends AccountPorts {
  kubeconfigs: ClusterKubeconfigs;
}

export function openTencentAccountPorts(
  config: Config,
  name: string,
  region: string,
  options: { redis: RedisOptions; secrets: SecretList; cloud?: CloudNetwork },
): TencentAccountPorts {
  const account = config.tencentcloud.accounts[name]!;
  const credentials = account.credentials;
  const credentialSpec: CredentialSpec =
    credentials.kind === 'oidc'
      ? { ...credentials, region: credentials.region ?? account.region ?? region }
      : credentials;
  const endpoint = account.endpoint ? { endpoint: account.endpoint } : {};
  const timeoutMs = config.tencentcloud.callTimeoutMs;
  // Permanent keys, or temporary ones from STS renewed before they expire.
  const credential = learningCredential(
    createCloudCredential(credentialSpec, { region, ...endpoint, timeoutMs }),
    options.secrets,
  );
  const sdkCloud = options.cloud ?? createTencentCloudNetwork({ credential, region, ...endpoint, timeoutMs });
  // One budget per account and region, shared by every replica through Redis.
  const limitedCloud = account.rateLimit.enabled
    ? createRateLimitedCloudNetwork(sdkCloud, {
        redis: options.redis,
        keyPrefix: `${config.redis.prefix}:tc-limits:${createHash('sha256')
          .update(`${credentialIdentity(credentialSpec)}/${region}`)
          .digest('hex')
          .slice(0, 16)}`,
        maxWaitMs: account.rateLimit.maxWaitMs,
      })
    : null;
  const ttlMs = config.tencentcloud.readCacheTtlMs;
  return {
    cloud: limitedCloud ?? sdkCloud,
    ...(ttlMs > 0 ? { readCache: createClusterReadCache({ ttlMs }) } : {}),
    kubeconfigs: createClusterKubeconfigs({ credential, region, ...endpoint, timeoutMs }),
    close: async () => {
      await limitedCloud?.close();
    },
  };
}
