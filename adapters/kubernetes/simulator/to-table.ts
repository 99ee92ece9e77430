import type { KubeObject } from './kube-object.ts';
import { formatLabelSelector } from '../../../src/domain/label-selector.ts';
import type { Cell, Layout } from './more-table-layouts.ts';
import { col, moreLayout, none } from './more-table-layouts.ts';
import type { ResourceType } from './resource-types.ts';

/** A CRD version's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** `duration.HumanDuration` from apimachinery: 85s, 5m3s, 3h, 2d5h, … */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
}

function age(o: KubeObject, now: Date): string {
  const created = o.metadata.creationTimestamp;
  return created === undefined ? '<unknown>' : humanDuration(now.getTime() - Date.parse(created));
}

function containers(template: KubeObject['spec']): [string, string] {
  const list = (template?.containers ?? []) as { name: string; image: string }[];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}

function podStatus(p: KubeObject): string {
  if (p.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const statuses = (p.status?.containerStatuses ?? []) as {
    state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
  }[];
  const waiting = statuses.find((c) => c.state?.waiting);
  if (waiting?.state?.waiting?.reason) return waiting.state.waiting.reason;
  // A container that exited shows its reason (Completed, Error), as kubectl's printer does.
  const terminated = statuses.find((c) => c.state?.terminated)?.state?.terminated;
  if (terminated !== undefined) return terminated.reason ?? `ExitCode:${terminated.exitCode ?? 0}`;
  return p.status?.reason ?? p.status?.phase ?? 'Unknown';
}

/** A simple JSONPath (`.spec.a.b`) as printer columns use; lists print comma-joined. */
function readPath(o: KubeObject, path: string): unknown {
  let current: unknown = o;
  for (const part of path
    .replace(/^\./, '')
    .split('.')
    .filter((p) => p !== '')) {
    if (Array.isArray(current)) current = current.map((c) => (c as Record<string, unknown>)?.[part]);
    else if (current !== null && typeof current === 'object')
      current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}

/** A custom resource's table as the apiextensions server builds it: Name, the printer columns, else Age. */
function customLayout(columns: PrinterColumn[], now: Date): Layout {
  const name = col('Name', 0, 'string', 'name');
  const printed =
    columns.length > 0 ? columns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: [
      name,
      ...printed.map((c) => ({
        ...col(c.name, c.priority ?? 0, c.type, c.format),
        description: c.description ?? c.name,
      })),
    ],
    cells: (o) => [
      o.metadata.name,
      ...printed.map((c): Cell => {
        const value = readPath(o, c.jsonPath);
        if (value === undefined || value === null) return '<none>';
        if (c.type === 'date') return humanDuration(now.getTime() - Date.parse(String(value)));
        if (Array.isArray(value)) return value.map(String).join(',');
        if (typeof value === 'object') return JSON.stringify(value);
        return typeof value === 'number' ? value : String(value);
      }),
    ],
  };
}

function layout(t: ResourceType, now: Date, printerColumns: PrinterColumn[] | undefined): Layout {
  const name = col('Name', 0, 'string', 'name');
  const more = moreLayout(t, (o) => age(o, now));
  if (more !== undefined) return more;
  if (t.custom) return customLayout(printerColumns ?? [], now);
  switch (t.plural) {
    case 'pods':
      return {
        columns: [
          name,
          col('Ready'),
          col('Status'),
          col('Restarts', 0, 'string'),
          col('Age'),
          col('IP', 1),
          col('Node', 1),
          col('Nominated Node', 1),
          col('Readiness Gates', 1),
        ],
        cells: (p) => {
          const statuses = (p.status?.containerStatuses ?? []) as { ready: boolean; restartCount: number }[];
          const total = (p.spec?.containers ?? []).length;
          return [
            p.metadata.name,
            `${statuses.filter((c) => c.ready).length}/${total}`,
            podStatus(p),
            String(statuses.reduce((sum, c) => sum + c.restartCount, 0)),
            age(p, now),
            p.status?.podIP ?? none,
            p.spec?.nodeName ?? none,
            p.status?.nominatedNodeName ?? none,
            none,
          ];
        },
      };
    case 'nodes':
      return {
        columns: [
          name,
          col('Status'),
          col('Roles'),
          col('Age'),
          col('Version'),
          col('Internal-IP', 1),
          col('External-IP', 1),
          col('OS-Image', 1),
          col('Kernel-Version', 1),
          col('Container-Runtime', 1),
        ],
        cells: (n) => {
          const ready =
            (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
          const address = (type: string) =>
            (n.status?.addresses ?? []).find((a: { type: string }) => a.type === type)?.address ?? none;
          const info = n.status?.nodeInfo ?? {};
          return [
            n.metadata.name,
            `${ready ? 'Ready' : 'NotReady'}${n.spec?.unschedulable ? ',SchedulingDisabled' : ''}`,
            none,
            age(n, now),
            info.kubeletVersion ?? '',
            address('InternalIP'),
            address('ExternalIP'),
            info.osImage ?? '<unknown>',
            info.kernelVersion ?? '<unknown>',
            info.containerRuntimeVersion ?? '<unknown>',
          ];
        },
      };
    case 'deployments':
      return {
        columns: [
          name,
          col('Ready'),
          col('Up-to-date', 0, 'integer'),
          col('Available', 0, 'integer'),
          col('Age'),
          col('Containers', 1),
          col('Images', 1),
          col('Selector', 1),
        ],
        cells: (d) => [
          d.metadata.name,
          `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
          d.status?.updatedReplicas ?? 0,
          d.status?.availableReplicas ?? 0,
          age(d, now),
          ...containers(d.spec?.template?.spec),
          formatLabelSelector(d.spec?.selector),
        ],
      };
    case 'replicasets':
      return {
        columns: [
          name,
          col('Desired', 0, 'integer'),
          col('Current', 0, 'integer'),
          col('Ready', 0, 'integer'),
          col('Age'),
          col('Containers', 1),
          col('Images', 1),
          col('Selector', 1),
        ],
        cells: (r) => [
          r.metadata.name,
          r.spec?.replicas ?? 0,
          r.status?.replicas ?? 0,
          r.status?.readyReplicas ?? 0,
          age(r, now),
          ...containers(r.spec?.template?.spec),
          formatLabelSelector(r.spec?.selector),
        ],
      };
    case 'services':
      return {
        columns: [
          name,
          col('Type'),
          col('Cluster-IP'),
          col('External-IP'),
          col('Port(s)'),
          col('Age'),
          col('Selector', 1),
        ],
        cells: (s) => [
          s.metadata.name,
          s.spec?.type ?? 'ClusterIP',
          s.spec?.clusterIP ?? none,
          none,
          ((s.spec?.ports ?? []) as { port: number; protocol: string }[])
            .map((p) => `${p.port}/${p.protocol}`)
            .join(',') || none,
          age(s, now),
          Object.entries(s.spec?.selector ?? {})
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(',') || none,
        ],
      };
    case 'namespaces':
      return {
        columns: [name, col('Status'), col('Age')],
        cells: (n) => [n.metadata.name, n.status?.phase ?? 'Active', age(n, now)],
      };
    case 'events':
      return {
        columns: [
          col('Last Seen'),
          col('Type'),
          col('Reason'),
          col('Object'),
          col('Subobject', 1),
          col('Source', 1),
          col('Message'),
          col('First Seen', 1),
          col('Count', 1),
          col('Name', 1),
        ],
        cells: (e) => {
          const since = (field: string) =>
            e[field] ? humanDuration(now.getTime() - Date.parse(String(e[field]))) : '<unknown>';
          const involved = (e['involvedObject'] ?? {}) as {
            kind?: string;
            name?: string;
            fieldPath?: string;
          };
          const source = (e['source'] ?? {}) as { component?: string; host?: string };
          const count = Number(e['count'] ?? 1);
          return [
            count > 1
              ? `${since('lastTimestamp')} (x${count} over ${since('firstTimestamp')})`
              : since('lastTimestamp'),
            String(e['type'] ?? ''),
            String(e['reason'] ?? ''),
            `${(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}`,
            involved.fieldPath ?? '',
            [source.component, source.host].filter((x) => x).join(', '),
            String(e['message'] ?? ''),
            since('firstTimestamp'),
            String(count),
            e.metadata.name,
          ];
        },
      };
    case 'customresourcedefinitions':
      return {
        columns: [name, col('Created At', 0, 'date')],
        cells: (c) => [c.metadata.name, c.metadata.creationTimestamp ?? ''],
      };
    default:
      return { columns: [name, col('Age', 0, 'date')], cells: (o) => [o.metadata.name, age(o, now)] };
  }
}

/** The `meta.k8s.io/v1` Table kubectl asks for with `Accept: …;as=Table;…`. */
export function toTable(
  t: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now: Date,
  includeObject: string,
  printerColumns?: PrinterColumn[],
): unknown {
  const { columns, cells } = layout(t, now, printerColumns);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns,
    rows: objects.map((o) => ({
      cells: cells(o),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? null
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
