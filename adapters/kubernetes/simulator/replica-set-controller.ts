import type { PassScope } from './controller-loop.ts';
import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';
import { controllerRef, controllerUid, isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';

/** Which surplus pods go first: unscheduled, then not running, then not ready, then the newest. */
function deletionRank(pod: KubeObject): number {
  if (!pod.spec?.nodeName) return 0;
  if (pod.status?.phase !== 'Running') return 1;
  if (!isReady(pod)) return 2;
  return 3;
}

/** The ReplicaSet controller: keeps the number of owned pods at spec.replicas and reports status. */
export function reconcileReplicaSets(api: ResourceApi, scope?: PassScope): void {
  const podType = api.type('pods');
  for (const rs of api.listScoped(api.type('replicasets'), scope)) {
    const ns = rs.metadata.namespace;
    let pods = api.list(podType, ns, { where: (p) => controllerUid(p as KubeObject) === rs.metadata.uid });
    const desired: number = rs.spec?.replicas ?? 1;
    if (pods.length < desired) {
      const template = rs.spec?.template ?? {};
      for (let i = pods.length; i < desired; i += 1) {
        api.create(podType, ns, {
          metadata: {
            name: '',
            generateName: `${rs.metadata.name}-`,
            labels: clone(template.metadata?.labels ?? {}),
            ...(template.metadata?.annotations ? { annotations: clone(template.metadata.annotations) } : {}),
            ownerReferences: [controllerRef(rs)],
          },
          spec: clone(template.spec ?? {}),
        });
      }
    } else if (pods.length > desired) {
      const surplus = [...pods]
        .sort(
          (a, b) =>
            deletionRank(a) - deletionRank(b) ||
            (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
        )
        .slice(0, pods.length - desired);
      for (const pod of surplus) api.delete(podType, ns, pod.metadata.name);
    }
    pods = api.list(podType, ns, { where: (p) => controllerUid(p as KubeObject) === rs.metadata.uid });
    const ready = pods.filter(isReady).length;
    api.mutate('replicasets', ns, rs.metadata.name, (r) => {
      r.status = {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
        observedGeneration: r.metadata.generation,
      };
    });
  }
}
