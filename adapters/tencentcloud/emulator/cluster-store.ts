import type {
  Addon,
  Cluster,
  VirtualNode,
  VirtualNodePool,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/v20180525/tke_models.js';
import { CloudApiError } from './cloud-api-error.ts';

/** TKE clusters as the emulator knows them: seeded, then changed only through the admin API. */
export interface SeedAddon {
  name: string;
  version: string;
  /** Installing, Upgrading, Terminating, Succeeded, InstallFailed, UpgradFailed (sic) */
  phase: string;
  reason: string;
}

export interface SeedVirtualNode {
  name: string;
  subnetId: string;
  phase: string;
}

export interface SeedVirtualNodePool {
  id: string;
  name: string;
  subnetIds: string[];
  lifeState?: string;
  nodes: SeedVirtualNode[];
}

export interface SeedCluster {
  id: string;
  name: string;
  version: string;
  vpcId: string;
  isDualStack: boolean;
  status: string;
  region?: string;
  clusterCidr?: string;
  serviceCidr?: string;
  addons: SeedAddon[];
  virtualNodePools: SeedVirtualNodePool[];
}

export interface ClusterPatch {
  version?: string;
  status?: string;
  isDualStack?: boolean;
  /** Upserts by name; `phase: null` removes the add-on. */
  addons?: (Omit<Partial<SeedAddon>, 'phase'> & { name: string; phase?: string | null })[];
  virtualNodePools?: SeedVirtualNodePool[];
  /** Replaces the nodes of the first pool (creating one when there is none). */
  virtualNodes?: SeedVirtualNode[];
}

export class ClusterStore {
  readonly #clusters = new Map<string, SeedCluster & { region: string; createdTime: string }>();
  readonly #defaultRegion: string;
  readonly #createdTime: string;

  constructor(seed: SeedCluster[], defaultRegion: string, createdTime: string) {
    this.#defaultRegion = defaultRegion;
    this.#createdTime = createdTime;
    for (const cluster of seed) this.put(cluster);
  }

  /** `createdTime` is given for a cluster restored from disk; a seeded one gets the store's. */
  put(cluster: SeedCluster & { createdTime?: string }): void {
    this.#clusters.set(cluster.id, {
      ...structuredClone(cluster),
      region: cluster.region ?? this.#defaultRegion,
      createdTime: cluster.createdTime ?? this.#createdTime,
    });
  }

  all(): (SeedCluster & { createdTime: string })[] {
    return [...this.#clusters.values()];
  }

  find(region: string, id: string): (SeedCluster & { createdTime: string }) | undefined {
    const cluster = this.#clusters.get(id);
    return cluster && cluster.region === region ? cluster : undefined;
  }

  get(region: string, id: string): SeedCluster & { createdTime: string } {
    const cluster = this.find(region, id);
    if (!cluster) {
      throw new CloudApiError('ResourceNotFound.ClusterNotFound', `The cluster \`${id}\` does not exist.`);
    }
    return cluster;
  }

  /** Unknown ids are left out, not an error (DescribeClusters' real behaviour). */
  describe(region: string, ids: string[] | undefined): SeedCluster[] {
    if (ids && ids.length > 0) {
      return ids.flatMap((id) => {
        const found = this.find(region, id);
        return found ? [found] : [];
      });
    }
    return this.all().filter((c) => (c.region ?? this.#defaultRegion) === region);
  }

  patch(id: string, patch: ClusterPatch): SeedCluster {
    const cluster = this.#clusters.get(id);
    if (!cluster)
      throw new CloudApiError('ResourceNotFound.ClusterNotFound', `The cluster \`${id}\` does not exist.`);
    if (patch.version !== undefined) cluster.version = patch.version;
    if (patch.status !== undefined) cluster.status = patch.status;
    if (patch.isDualStack !== undefined) cluster.isDualStack = patch.isDualStack;
    for (const change of patch.addons ?? []) {
      const at = cluster.addons.findIndex((a) => a.name === change.name);
      if (change.phase === null) {
        if (at !== -1) cluster.addons.splice(at, 1);
        continue;
      }
      const base = cluster.addons[at] ?? {
        name: change.name,
        version: '1.0.0',
        phase: 'Succeeded',
        reason: '',
      };
      const next: SeedAddon = {
        name: change.name,
        version: change.version ?? base.version,
        phase: change.phase ?? base.phase,
        reason: change.reason ?? base.reason,
      };
      if (at === -1) cluster.addons.push(next);
      else cluster.addons[at] = next;
    }
    if (patch.virtualNodePools !== undefined)
      cluster.virtualNodePools = structuredClone(patch.virtualNodePools);
    if (patch.virtualNodes !== undefined) {
      const pool = cluster.virtualNodePools[0];
      if (pool) pool.nodes = structuredClone(patch.virtualNodes);
      else {
        cluster.virtualNodePools.push({
          id: 'np-admin001',
          name: 'admin-pool',
          subnetIds: [...new Set(patch.virtualNodes.map((n) => n.subnetId))],
          nodes: structuredClone(patch.virtualNodes),
        });
      }
    }
    return cluster;
  }

  toWireCluster(cluster: SeedCluster & { createdTime: string }): Cluster {
    return {
      ClusterId: cluster.id,
      ClusterName: cluster.name,
      ClusterDescription: '',
      ClusterVersion: cluster.version,
      ClusterOs: 'tlinux3.1x86_64',
      ClusterType: 'MANAGED_CLUSTER',
      ClusterNetworkSettings: {
        ClusterCIDR: cluster.clusterCidr ?? '172.16.0.0/16',
        IgnoreClusterCIDRConflict: false,
        MaxNodePodNum: 64,
        MaxClusterServiceNum: 1024,
        Ipvs: true,
        VpcId: cluster.vpcId,
        Cni: true,
        KubeProxyMode: 'ipvs',
        ServiceCIDR: cluster.serviceCidr ?? '172.17.0.0/18',
        Subnets: [],
        IgnoreServiceCIDRConflict: false,
        IsDualStack: cluster.isDualStack,
        Ipv6ServiceCIDR: cluster.isDualStack ? 'fd00:1234::/120' : '',
        CiliumMode: '',
      },
      ClusterNodeNum: 0,
      ProjectId: 0,
      TagSpecification: [],
      ClusterStatus: cluster.status,
      // Property is a JSON document inside a string on the real API.
      Property: JSON.stringify({
        NodeNameType: 'lan-ip',
        NetworkType: 'VPC-CNI',
        IsDualStack: cluster.isDualStack,
      }),
      ClusterMaterNodeNum: 0,
      ContainerRuntime: 'containerd',
      CreatedTime: cluster.createdTime,
      DeletionProtection: false,
      EnableExternalNode: false,
      ClusterLevel: 'L5',
      AutoUpgradeClusterLevel: false,
      QGPUShareEnable: false,
      RuntimeVersion: '1.6.9',
      ClusterEtcdNodeNum: 3,
    };
  }

  toWireAddon(addon: SeedAddon): Addon {
    return {
      AddonName: addon.name,
      AddonVersion: addon.version,
      RawValues: Buffer.from('{}').toString('base64'),
      Phase: addon.phase,
      Reason: addon.reason,
      CreateTime: this.#createdTime,
    };
  }

  toWirePool(pool: SeedVirtualNodePool): VirtualNodePool {
    return {
      NodePoolId: pool.id,
      SubnetIds: [...pool.subnetIds],
      Name: pool.name,
      LifeState: pool.lifeState ?? 'normal',
      Labels: [],
      Taints: [],
    };
  }

  toWireNode(node: SeedVirtualNode): VirtualNode {
    return { Name: node.name, SubnetId: node.subnetId, Phase: node.phase, CreatedTime: this.#createdTime };
  }
}
