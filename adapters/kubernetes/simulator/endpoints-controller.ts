import type { PassScope } from './controller-loop.ts';
import type { KubeObject } from './kube-object.ts';
import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';
import { isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

function address(pod: KubeObject): Record<string, unknown> {
  return {
    ip: pod.status.podIP,
    nodeName: pod.spec?.nodeName,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
  };
}

/** Pods that ran to completion are never endpoints, as in the real controller. */
function isTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** A named targetPort resolves against the first pod's container ports, as the real controller does per pod. */
function resolvePort(port: ServicePort, pod: KubeObject | undefined): number {
  if (typeof port.targetPort === 'number') return port.targetPort;
  if (port.targetPort === undefined || /^\d+$/.test(port.targetPort))
    return Number(port.targetPort ?? port.port);
  for (const c of (pod?.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]) {
    const found = (c.ports ?? []).find((p) => p.name === port.targetPort);
    if (found !== undefined) return found.containerPort;
  }
  return port.port;
}

/**
 * The endpoints controller: every Service with a selector has an Endpoints object of the same
 * name listing its pods that have an IP, Ready ones under `addresses`, the others under
 * `notReadyAddresses`; selector-less Services keep hand-written Endpoints.
 */
export function reconcileEndpoints(api: ResourceApi, timestamp: () => string, scope?: PassScope): void {
  const epType = api.type('endpoints');
  const services = api.listScoped(api.type('services'), scope);
  const wanted = new Set<string>();
  for (const svc of services) {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (selector === undefined || selector === null || Object.keys(selector).length === 0) continue;
    const ns = svc.metadata.namespace;
    wanted.add(`${ns}/${svc.metadata.name}`);
    const pods = api
      .list(api.type('pods'), ns)
      .filter(
        (p) =>
          p.status?.podIP &&
          !isTerminal(p) &&
          matchesLabelSelector({ matchLabels: selector }, p.metadata.labels),
      )
      .sort((a, b) => String(a.status.podIP).localeCompare(String(b.status.podIP), 'en', { numeric: true }));
    const ready = pods.filter(isReady);
    const notReady = pods.filter((p) => !isReady(p));
    const ports = ((svc.spec?.ports ?? []) as ServicePort[]).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: resolvePort(p, pods[0]),
      protocol: p.protocol ?? 'TCP',
    }));
    const subsets =
      pods.length === 0
        ? undefined
        : [
            {
              ...(ready.length > 0 ? { addresses: ready.map(address) } : {}),
              ...(notReady.length > 0 ? { notReadyAddresses: notReady.map(address) } : {}),
              ports,
            },
          ];
    const labels = {
      ...(svc.metadata.labels ?? {}),
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    };
    const existing = api.find('endpoints', ns, svc.metadata.name);
    if (existing === undefined) {
      api.create(epType, ns, {
        metadata: {
          name: svc.metadata.name,
          labels,
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': timestamp() },
        },
        ...(subsets === undefined ? {} : { subsets }),
      });
      continue;
    }
    if (JSON.stringify(existing['subsets']) === JSON.stringify(subsets)) continue;
    api.mutate('endpoints', ns, svc.metadata.name, (o) => {
      o.metadata.labels = labels;
      o.metadata.annotations = {
        ...(o.metadata.annotations ?? {}),
        'endpoints.kubernetes.io/last-change-trigger-time': timestamp(),
      };
      if (subsets === undefined) delete o['subsets'];
      else o['subsets'] = subsets;
    });
  }
  // Endpoints the controller made outlive their Service only until the next pass.
  for (const ep of api.listScoped(epType, scope)) {
    const managed = ep.metadata.labels?.['endpoints.kubernetes.io/managed-by'] === 'endpoint-controller';
    if (managed && !wanted.has(`${ep.metadata.namespace}/${ep.metadata.name}`)) {
      api.delete(epType, ep.metadata.namespace, ep.metadata.name);
    }
  }
}
