import type { PassScope } from './controller-loop.ts';
import { resolveIntOrPercent } from './deployment-controller.ts';
import type { KubeObject } from './kube-object.ts';
import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';
import { controllerUid, isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';

export interface BudgetStatus {
  observedGeneration: number;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions: { type: string; status: string; reason: string; message: string; observedGeneration: number }[];
}

/** policy/v1 semantics: a nil selector selects nothing, an empty one every pod of the namespace. */
export function selectedPods(api: ResourceApi, pdb: KubeObject): KubeObject[] {
  const selector = pdb.spec?.selector;
  if (selector === undefined || selector === null) return [];
  return api
    .list(api.type('pods'), pdb.metadata.namespace)
    .filter((p) => matchesLabelSelector(selector, p.metadata.labels));
}

/** The replicas the pods' controllers want (a Deployment through its ReplicaSet); a bare pod counts 1. */
function expectedScale(api: ResourceApi, pods: KubeObject[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const pod of pods) {
    const ref = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    if (ref === undefined) {
      total += 1;
      continue;
    }
    let owner = findOwner(api, pod.metadata.namespace, ref.kind, ref.name);
    if (owner?.kind === 'ReplicaSet' && controllerUid(owner) !== undefined) {
      const up = (owner.metadata.ownerReferences ?? []).find((r) => r.controller === true)!;
      owner = findOwner(api, pod.metadata.namespace, up.kind, up.name) ?? owner;
    }
    const key = owner?.metadata.uid ?? ref.uid;
    if (seen.has(key)) continue;
    seen.add(key);
    total +=
      owner?.kind === 'DaemonSet'
        ? (owner.status?.desiredNumberScheduled ?? 0)
        : (owner?.spec?.replicas ?? 1);
  }
  return total;
}

function findOwner(
  api: ResourceApi,
  ns: string | undefined,
  kind: string,
  name: string,
): KubeObject | undefined {
  const plural = {
    ReplicaSet: 'replicasets',
    Deployment: 'deployments',
    StatefulSet: 'statefulsets',
    DaemonSet: 'daemonsets',
  }[kind];
  return plural === undefined ? undefined : api.find(plural, ns, name);
}

/** What the disruption controller writes into a PDB's status, computed from the pods now. */
export function budgetStatus(api: ResourceApi, pdb: KubeObject): BudgetStatus {
  const pods = selectedPods(api, pdb);
  const currentHealthy = pods.filter(isReady).length;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods = pods.length;
  let desiredHealthy = 0;
  if (maxUnavailable != null) {
    expectedPods = expectedScale(api, pods);
    desiredHealthy = Math.max(0, expectedPods - resolveIntOrPercent(maxUnavailable, expectedPods, true));
  } else if (minAvailable != null) {
    if (typeof minAvailable === 'number') desiredHealthy = minAvailable;
    else {
      expectedPods = expectedScale(api, pods);
      desiredHealthy = resolveIntOrPercent(minAvailable, expectedPods, true);
    }
  }
  const disruptionsAllowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
  const generation = pdb.metadata.generation ?? 1;
  return {
    observedGeneration: generation,
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: [
      disruptionsAllowed > 0
        ? {
            type: 'DisruptionAllowed',
            status: 'True',
            reason: 'SufficientPods',
            message: '',
            observedGeneration: generation,
          }
        : {
            type: 'DisruptionAllowed',
            status: 'False',
            reason: 'InsufficientPods',
            message: '',
            observedGeneration: generation,
          },
    ],
  };
}

/** The disruption controller: keeps every PDB's status current. */
export function reconcileDisruptionBudgets(
  api: ResourceApi,
  timestamp: () => string,
  scope?: PassScope,
): void {
  for (const pdb of api.listScoped(api.type('poddisruptionbudgets'), scope)) {
    const next = budgetStatus(api, pdb);
    const old = pdb.status?.conditions?.[0];
    const transition =
      old !== undefined && old.status === next.conditions[0]!.status ? old.lastTransitionTime : timestamp();
    api.mutate('poddisruptionbudgets', pdb.metadata.namespace, pdb.metadata.name, (o) => {
      o.status = {
        ...next,
        conditions: next.conditions.map((c) => ({ ...c, lastTransitionTime: transition })),
      };
    });
  }
}
