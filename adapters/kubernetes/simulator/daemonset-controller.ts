import type { PassScope } from './controller-loop.ts';
import { resolveIntOrPercent } from './deployment-controller.ts';
import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';
import { controllerRef, controllerUid, isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';
import { whyNot } from './scheduler.ts';
import { templateHash } from './template-hash.ts';

const revisionLabel = 'controller-revision-hash';

/** The tolerations the DaemonSet controller adds to every daemon pod. */
const daemonTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function podFor(ds: KubeObject, node: string, hash: string): KubeObject {
  const template = ds.spec?.template ?? {};
  const spec = clone(template.spec ?? {});
  spec.tolerations = [...(spec.tolerations ?? []), ...daemonTolerations];
  // Pinned to its node through required affinity, so kube-scheduler (and the TKE webhook) still bind it.
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
  return {
    metadata: {
      name: '',
      generateName: `${ds.metadata.name}-`,
      labels: {
        ...clone(template.metadata?.labels ?? {}),
        [revisionLabel]: hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      },
      ...(template.metadata?.annotations ? { annotations: clone(template.metadata.annotations) } : {}),
      ownerReferences: [controllerRef(ds)],
    },
    spec,
  };
}

function targetNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName as string;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms?.[0]?.matchFields?.find((f: { key: string }) => f.key === 'metadata.name')?.values?.[0];
}

/**
 * The DaemonSet controller: one pod on every node the template fits (nodeSelector, affinity,
 * taints), none elsewhere, and a RollingUpdate that replaces at most maxUnavailable pods at a
 * time (or surges maxSurge new pods beside the old ones).
 */
export function reconcileDaemonSets(api: ResourceApi, scope?: PassScope): void {
  for (const ds of api.listScoped(api.type('daemonsets'), scope)) reconcileDaemonSet(api, ds);
}

function reconcileDaemonSet(api: ResourceApi, ds: KubeObject): void {
  const podType = api.type('pods');
  const ns = ds.metadata.namespace;
  const hash = templateHash(ds.spec?.template);
  const probe = podFor(ds, '', hash);
  const fitting = api.list(api.type('nodes'), undefined).filter((n) => {
    const pinned = { ...probe, spec: { ...probe.spec, affinity: ds.spec?.template?.spec?.affinity } };
    return whyNot(pinned, n) === undefined;
  });
  const names = new Set(fitting.map((n) => n.metadata.name));
  const owned = () =>
    api.list(podType, ns, { where: (p) => controllerUid(p as KubeObject) === ds.metadata.uid });
  const isNew = (p: KubeObject) => p.metadata.labels?.[revisionLabel] === hash;

  for (const pod of owned()) {
    const node = targetNode(pod);
    if (node === undefined || !names.has(node)) api.delete(podType, ns, pod.metadata.name);
  }
  const strategy = ds.spec?.updateStrategy ?? { type: 'RollingUpdate' };
  const rolling = strategy.type === 'RollingUpdate';
  const maxSurge = rolling ? resolveIntOrPercent(strategy.rollingUpdate?.maxSurge ?? 0, names.size, true) : 0;
  let maxUnavailable = rolling
    ? resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable ?? 1, names.size, true)
    : 0;
  if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of owned()) byNode.set(targetNode(pod)!, [...(byNode.get(targetNode(pod)!) ?? []), pod]);
  let unavailable = [...names].filter((n) => !(byNode.get(n) ?? []).some(isReady)).length;
  let surged = [...byNode.values()].filter((pods) => pods.length > 1).length;

  for (const node of [...names].sort()) {
    const pods = byNode.get(node) ?? [];
    if (pods.length === 0) {
      api.create(podType, ns, podFor(ds, node, hash));
      continue;
    }
    const fresh = pods.filter(isNew);
    const stale = pods.filter((p) => !isNew(p));
    if (!rolling || stale.length === 0) {
      for (const extra of pods.slice(1)) api.delete(podType, ns, extra.metadata.name);
      continue;
    }
    if (fresh.length > 0) {
      // Surge: the old pod goes once the new one beside it is Ready.
      if (fresh.some(isReady)) for (const p of stale) api.delete(podType, ns, p.metadata.name);
      continue;
    }
    const old = stale[0]!;
    if (!isReady(old)) {
      api.delete(podType, ns, old.metadata.name);
    } else if (maxSurge > 0 && surged < maxSurge) {
      api.create(podType, ns, podFor(ds, node, hash));
      surged += 1;
    } else if (maxSurge === 0 && unavailable < maxUnavailable) {
      api.delete(podType, ns, old.metadata.name);
      unavailable += 1;
    }
  }

  const pods = owned();
  const onNodes = [...names].map((n) => pods.filter((p) => targetNode(p) === n));
  const ready = onNodes.filter((list) => list.some(isReady)).length;
  api.mutate('daemonsets', ns, ds.metadata.name, (o) => {
    o.status = {
      currentNumberScheduled: onNodes.filter((list) => list.length > 0).length,
      desiredNumberScheduled: names.size,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: o.metadata.generation,
      updatedNumberScheduled: onNodes.filter((list) => list.some(isNew)).length,
      numberAvailable: ready,
      ...(names.size - ready > 0 ? { numberUnavailable: names.size - ready } : {}),
    };
  });
}
