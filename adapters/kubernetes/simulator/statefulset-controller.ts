import type { PassScope } from './controller-loop.ts';
import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';
import { controllerRef, controllerUid, isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';
import { templateHash } from './template-hash.ts';

const revisionLabel = 'controller-revision-hash';

function ordinalOf(sts: KubeObject, pod: KubeObject): number {
  const prefix = `${sts.metadata.name}-`;
  const rest = pod.metadata.name.startsWith(prefix) ? pod.metadata.name.slice(prefix.length) : '';
  return /^\d+$/.test(rest) ? Number(rest) : -1;
}

function podFor(sts: KubeObject, ordinal: number, revision: string): KubeObject {
  const template = sts.spec?.template ?? {};
  const name = `${sts.metadata.name}-${ordinal}`;
  return {
    metadata: {
      name,
      labels: {
        ...clone(template.metadata?.labels ?? {}),
        [revisionLabel]: revision,
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
      ...(template.metadata?.annotations ? { annotations: clone(template.metadata.annotations) } : {}),
      ownerReferences: [controllerRef(sts)],
    },
    spec: {
      ...clone(template.spec ?? {}),
      hostname: name,
      ...(sts.spec?.serviceName ? { subdomain: sts.spec.serviceName } : {}),
    },
  };
}

/**
 * The StatefulSet controller: pods `<name>-<ordinal>` created in order (OrderedReady waits for
 * each to be Running and Ready; Parallel does not), scaled down from the highest ordinal, and
 * rolled (RollingUpdate) from the highest ordinal down to the partition, one pod at a time,
 * each replacement Ready before the next. Pods always get the newest template: older
 * revisions are not kept (no ControllerRevisions).
 */
export function reconcileStatefulSets(api: ResourceApi, scope?: PassScope): void {
  for (const sts of api.listScoped(api.type('statefulsets'), scope)) reconcileStatefulSet(api, sts);
}

function reconcileStatefulSet(api: ResourceApi, sts: KubeObject): void {
  const podType = api.type('pods');
  const ns = sts.metadata.namespace;
  const updateRevision = `${sts.metadata.name}-${templateHash(sts.spec?.template)}`;
  const currentRevision: string = sts.status?.currentRevision ?? updateRevision;
  const desired: number = sts.spec?.replicas ?? 1;
  const ordered = (sts.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  const owned = () =>
    api
      .list(podType, ns)
      .filter((p) => controllerUid(p) === sts.metadata.uid)
      .sort((a, b) => ordinalOf(sts, a) - ordinalOf(sts, b));
  const healthy = (p: KubeObject) => isReady(p);

  act: {
    let pods = owned();
    // Create missing ordinals, lowest first.
    for (let ordinal = 0; ordinal < desired; ordinal += 1) {
      const pod = pods.find((p) => ordinalOf(sts, p) === ordinal);
      if (pod === undefined) {
        api.create(podType, ns, podFor(sts, ordinal, updateRevision));
        if (ordered) break act;
      } else if (ordered && !healthy(pod)) break act;
    }
    pods = owned();
    // Scale down from the highest ordinal, one at a time when ordered.
    const condemned = pods.filter((p) => ordinalOf(sts, p) >= desired || ordinalOf(sts, p) < 0).reverse();
    for (const pod of condemned) {
      if (ordered && !pods.filter((p) => p !== pod).every(healthy)) break act;
      api.delete(podType, ns, pod.metadata.name);
      if (ordered) break act;
    }
    const strategy = sts.spec?.updateStrategy ?? { type: 'RollingUpdate' };
    if (strategy.type !== 'RollingUpdate') break act;
    pods = owned();
    if (pods.length !== desired || !pods.every(healthy)) break act;
    const partition: number = strategy.rollingUpdate?.partition ?? 0;
    const stale = pods
      .filter((p) => ordinalOf(sts, p) >= partition && p.metadata.labels?.[revisionLabel] !== updateRevision)
      .pop();
    if (stale !== undefined) api.delete(podType, ns, stale.metadata.name);
  }

  const pods = owned();
  const ready = pods.filter(healthy).length;
  const updated = pods.filter((p) => p.metadata.labels?.[revisionLabel] === updateRevision).length;
  const done = updated === pods.length && ready === pods.length && pods.length === desired;
  api.mutate('statefulsets', ns, sts.metadata.name, (o) => {
    o.status = {
      observedGeneration: o.metadata.generation,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas: done
        ? updated
        : pods.filter((p) => p.metadata.labels?.[revisionLabel] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision: done ? updateRevision : currentRevision,
      updateRevision,
      collisionCount: 0,
      availableReplicas: ready,
    };
  });
}
