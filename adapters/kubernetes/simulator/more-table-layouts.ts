import type { KubeObject } from './kube-object.ts';
import { formatLabelSelector } from '../../../src/domain/label-selector.ts';
import type { ResourceType } from './resource-types.ts';

export interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}

export type Cell = string | number;

export interface Layout {
  columns: Column[];
  cells: (o: KubeObject) => Cell[];
}

export function col(name: string, priority = 0, type = 'string', format?: string): Column {
  return { name, type, ...(format === undefined ? {} : { format }), description: name, priority };
}

export const none = '<none>';

function containers(template: KubeObject['spec']): [string, string] {
  const list = (template?.containers ?? []) as { name: string; image: string }[];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}

function mapToString(map: Record<string, unknown> | undefined): string {
  return (
    Object.entries(map ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',') || none
  );
}

/** kubectl's formatEndpoints: the first three ip:port pairs, then "+ N more...". */
function formatEndpoints(ep: KubeObject): string {
  const pairs: string[] = [];
  for (const subset of (ep['subsets'] ?? []) as {
    addresses?: { ip: string }[];
    ports?: { port: number }[];
  }[]) {
    const addresses = subset.addresses ?? [];
    if (!subset.ports?.length) pairs.push(...addresses.map((a) => a.ip));
    for (const p of subset.ports ?? []) pairs.push(...addresses.map((a) => `${a.ip}:${p.port}`));
  }
  if (pairs.length === 0) return none;
  return pairs.length > 3 ? `${pairs.slice(0, 3).join(',')} + ${pairs.length - 3} more...` : pairs.join(',');
}

function subjects(binding: KubeObject, kind: string): string {
  return ((binding['subjects'] ?? []) as { kind: string; name: string; namespace?: string }[])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

/**
 * The columns kube-apiserver's table printers give the kinds added in the second wave
 * (statefulsets, daemonsets, PDBs, config maps, secrets, endpoints, service accounts, RBAC);
 * undefined for the others.
 */
export function moreLayout(t: ResourceType, age: (o: KubeObject) => string): Layout | undefined {
  const name = col('Name', 0, 'string', 'name');
  const createdAt: Layout = {
    columns: [name, col('Created At', 0, 'date')],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
  };
  switch (t.plural) {
    case 'statefulsets':
      return {
        columns: [name, col('Ready'), col('Age'), col('Containers', 1), col('Images', 1)],
        cells: (s) => [
          s.metadata.name,
          `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`,
          age(s),
          ...containers(s.spec?.template?.spec),
        ],
      };
    case 'daemonsets':
      return {
        columns: [
          name,
          col('Desired', 0, 'integer'),
          col('Current', 0, 'integer'),
          col('Ready', 0, 'integer'),
          col('Up-to-date', 0, 'integer'),
          col('Available', 0, 'integer'),
          col('Node Selector'),
          col('Age'),
          col('Containers', 1),
          col('Images', 1),
          col('Selector', 1),
        ],
        cells: (d) => [
          d.metadata.name,
          d.status?.desiredNumberScheduled ?? 0,
          d.status?.currentNumberScheduled ?? 0,
          d.status?.numberReady ?? 0,
          d.status?.updatedNumberScheduled ?? 0,
          d.status?.numberAvailable ?? 0,
          mapToString(d.spec?.template?.spec?.nodeSelector),
          age(d),
          ...containers(d.spec?.template?.spec),
          formatLabelSelector(d.spec?.selector),
        ],
      };
    case 'poddisruptionbudgets':
      return {
        columns: [
          name,
          col('Min Available'),
          col('Max Unavailable'),
          col('Allowed Disruptions', 0, 'integer'),
          col('Age'),
        ],
        cells: (p) => [
          p.metadata.name,
          p.spec?.minAvailable == null ? 'N/A' : String(p.spec.minAvailable),
          p.spec?.maxUnavailable == null ? 'N/A' : String(p.spec.maxUnavailable),
          p.status?.disruptionsAllowed ?? 0,
          age(p),
        ],
      };
    case 'configmaps':
      return {
        columns: [name, col('Data', 0, 'integer'), col('Age')],
        cells: (c) => [
          c.metadata.name,
          Object.keys(c['data'] ?? {}).length + Object.keys(c['binaryData'] ?? {}).length,
          age(c),
        ],
      };
    case 'secrets':
      return {
        columns: [name, col('Type'), col('Data', 0, 'integer'), col('Age')],
        cells: (s) => [
          s.metadata.name,
          String(s['type'] ?? 'Opaque'),
          Object.keys(s['data'] ?? {}).length,
          age(s),
        ],
      };
    case 'endpoints':
      return {
        columns: [name, col('Endpoints'), col('Age')],
        cells: (e) => [e.metadata.name, formatEndpoints(e), age(e)],
      };
    case 'serviceaccounts':
      return {
        columns: [name, col('Secrets', 0, 'integer'), col('Age')],
        cells: (s) => [s.metadata.name, ((s['secrets'] ?? []) as unknown[]).length, age(s)],
      };
    case 'roles':
    case 'clusterroles':
      return createdAt;
    case 'rolebindings':
    case 'clusterrolebindings':
      return {
        columns: [
          name,
          col('Role'),
          col('Age'),
          col('Users', 1),
          col('Groups', 1),
          col('ServiceAccounts', 1),
        ],
        cells: (b) => {
          const ref = (b['roleRef'] ?? {}) as { kind?: string; name?: string };
          return [
            b.metadata.name,
            `${ref.kind ?? ''}/${ref.name ?? ''}`,
            age(b),
            subjects(b, 'User'),
            subjects(b, 'Group'),
            subjects(b, 'ServiceAccount'),
          ];
        },
      };
    default:
      return undefined;
  }
}
