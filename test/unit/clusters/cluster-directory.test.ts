import { describe, expect, it } from 'vitest';
import { createClusterDirectory } from '../../../src/clusters/cluster-directory.ts';
import type { ClusterSettings } from '../../../src/clusters/cluster-config.ts';
import type { CloudNetwork } from '../../../src/ports/cloud-network.ts';
import type { Cluster } from '../../../src/ports/cluster.ts';
import { AppError } from '../../../src/errors.ts';

const retries = { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 };
const clusters: Record<string, ClusterSettings> = {
  'cls-aaaaaaaa': { account: 'east', region: 'ap-guangzhou', kubernetes: { server: 'https://a' } },
  'cls-cccccccc': { account: 'east', region: 'ap-guangzhou', kubernetes: { server: 'https://c' } },
  'cls-bbbbbbbb': { account: 'north', region: 'ap-beijing', kubernetes: { fromCloud: true } },
};

/** A directory whose openers record what they were asked, each port an object naming its origin. */
function directoryOver(failFromCloud: { times: number } = { times: 0 }) {
  const accountsOpened: string[] = [];
  const clustersOpened: string[] = [];
  const closed: string[] = [];
  const directory = createClusterDirectory({
    clusters,
    callRetriesOf: (account) => ({ ...retries, attempts: account === 'north' ? 1 : 3 }),
    openAccount: (account, region) => {
      accountsOpened.push(`${account}/${region}`);
      return {
        cloud: { origin: `${account}/${region}` } as unknown as CloudNetwork,
        close: async () => {
          closed.push(`${account}/${region}`);
        },
      };
    },
    openCluster: (id, settings, via) => {
      clustersOpened.push(id);
      const cluster = { origin: id, via: (via.cloud as unknown as { origin: string }).origin };
      if (!settings.kubernetes.fromCloud) return cluster as unknown as Cluster;
      if (failFromCloud.times > 0) {
        failFromCloud.times -= 1;
        return Promise.reject(new AppError('CLOUD_INTERNAL', 'TKE is away'));
      }
      return Promise.resolve(cluster as unknown as Cluster);
    },
  });
  return { directory, accountsOpened, clustersOpened, closed };
}

describe('the ports of every cluster', () => {
  it('opens one cloud per account and region, and static clusters at once', () => {
    const { directory, accountsOpened, clustersOpened } = directoryOver();
    expect(directory.clusterIds).toEqual(['cls-aaaaaaaa', 'cls-cccccccc', 'cls-bbbbbbbb']);
    expect(accountsOpened).toEqual(['east/ap-guangzhou', 'north/ap-beijing']);
    expect(clustersOpened).toEqual(['cls-aaaaaaaa', 'cls-cccccccc']);
  });

  it("gives each cluster its own client over its account's cloud, with that account's retries", async () => {
    const { directory } = directoryOver();
    const a = await directory.portsFor('cls-aaaaaaaa');
    const c = await directory.portsFor('cls-cccccccc');
    const b = await directory.portsFor('cls-bbbbbbbb');
    expect(a.cloud).toBe(c.cloud);
    expect(a.cluster).not.toBe(c.cluster);
    expect(b.cloud).not.toBe(a.cloud);
    expect(b).toMatchObject({ clusterId: 'cls-bbbbbbbb', account: 'north', region: 'ap-beijing' });
    expect(b.cluster).toEqual({ origin: 'cls-bbbbbbbb', via: 'north/ap-beijing' });
    expect(b.callRetries.attempts).toBe(1);
    expect(a.callRetries.attempts).toBe(3);
  });

  it('opens a fromCloud cluster on first use only, once however many ask at the same time', async () => {
    const { directory, clustersOpened } = directoryOver();
    const [first, second] = await Promise.all([
      directory.portsFor('cls-bbbbbbbb'),
      directory.portsFor('cls-bbbbbbbb'),
    ]);
    expect(first.cluster).toBe(second.cluster);
    expect(clustersOpened.filter((id) => id === 'cls-bbbbbbbb')).toHaveLength(1);
  });

  it('asks again after a failed open rather than remembering the failure', async () => {
    const { directory, clustersOpened } = directoryOver({ times: 1 });
    await expect(directory.portsFor('cls-bbbbbbbb')).rejects.toMatchObject({ code: 'CLOUD_INTERNAL' });
    await expect(directory.portsFor('cls-bbbbbbbb')).resolves.toMatchObject({ clusterId: 'cls-bbbbbbbb' });
    expect(clustersOpened.filter((id) => id === 'cls-bbbbbbbb')).toHaveLength(2);
  });

  it('refuses a cluster it was not configured for, naming the ones it was', async () => {
    const { directory } = directoryOver();
    const error = await directory.portsFor('cls-unknown1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    expect((error as AppError).retryable).toBe(false);
    expect((error as AppError).hint).toContain('cls-aaaaaaaa, cls-cccccccc, cls-bbbbbbbb');
  });

  it('closes every account it opened', async () => {
    const { directory, closed } = directoryOver();
    await directory.close();
    expect(closed.sort()).toEqual(['east/ap-guangzhou', 'north/ap-beijing']);
  });
});
