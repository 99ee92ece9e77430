import type { SecurityGroupPolicy } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import type { ClusterStore, SeedCluster } from './cluster-store.ts';
import { normaliseRule, toWirePolicy } from './security-group-rule.ts';
import type { SecurityGroupLimits } from './security-group-limits.ts';
import type { SecurityGroupStore } from './security-group-store.ts';
import type { SeedGroup } from './seed-group.ts';

/** The emulator's whole state as `GET /_admin/state` shows it: groups with their rules, clusters. */
export interface EmulatorStateView {
  securityGroups: {
    id: string;
    region: string;
    name: string;
    description: string;
    projectId: string;
    tags: Record<string, string>;
    version: string;
    createdTime: string;
    ingress: SecurityGroupPolicy[];
    egress: SecurityGroupPolicy[];
  }[];
  clusters: SeedCluster[];
  /**
   * The quotas DescribeSecurityGroupLimits reports. The emulator binds no group to an instance, so
   * InstanceSecurityGroupLimit (groups per instance, a pod here) is for whoever binds them — the
   * Kubernetes simulator — to enforce.
   */
  limits: SecurityGroupLimits;
}

export function emulatorStateView(
  groups: SecurityGroupStore,
  clusters: ClusterStore,
  limits: SecurityGroupLimits,
): EmulatorStateView {
  return structuredClone({
    securityGroups: groups.all().map((g) => ({
      id: g.id,
      region: g.region,
      name: g.name,
      description: g.description,
      projectId: g.projectId,
      tags: Object.fromEntries(g.tags.map((t) => [t.Key, t.Value ?? ''])),
      version: String(g.version),
      createdTime: g.createdTime,
      ingress: g.ingress.map(toWirePolicy),
      egress: g.egress.map(toWirePolicy),
    })),
    clusters: clusters.all(),
    limits,
  });
}

/** Puts seed groups into the store; ids are generated for groups that name none. */
export function seedSecurityGroups(
  store: SecurityGroupStore,
  seeds: SeedGroup[],
  defaultRegion: string,
  newId: (prefix: string, taken: (id: string) => boolean) => string,
): void {
  const ids = seeds.map(
    (seed) => seed.id ?? newId('sg', (id) => store.has(id) || seeds.some((s) => s.id === id)),
  );
  const known = new Set(ids);
  const modifyTime = store.now();
  seeds.forEach((seed, i) => {
    const rules = (direction: 'Ingress' | 'Egress', list: SecurityGroupPolicy[] | undefined) =>
      (list ?? []).map((p, at) =>
        normaliseRule(p, {
          field: `seed ${seed.name} ${direction}.${at}`,
          groupExists: (id) => known.has(id) || store.has(id),
          modifyTime,
        }),
      );
    store.put({
      id: ids[i] as string,
      region: seed.region ?? defaultRegion,
      name: seed.name,
      description: seed.description ?? '',
      projectId: seed.projectId ?? '0',
      tags: (seed.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
      createdTime: modifyTime,
      updateTime: modifyTime,
      version: 0,
      ingress: rules('Ingress', seed.ingress),
      egress: rules('Egress', seed.egress),
    });
  });
}
