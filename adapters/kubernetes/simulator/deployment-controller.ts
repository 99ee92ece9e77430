import type { PassScope } from './controller-loop.ts';
import type { Condition } from './deployment-conditions.ts';
import { progressing, setCondition } from './deployment-conditions.ts';
import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';
import { controllerRef, controllerUid, isReady } from './owner-references.ts';
import { stableHash } from './random-suffix.ts';
import type { ResourceApi } from './resource-api.ts';

const revisionKey = 'deployment.kubernetes.io/revision';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

/** `25%` of 2 is 1 when rounding up (maxSurge) and 0 when rounding down (maxUnavailable). */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const text = String(value ?? '0');
  if (!text.endsWith('%')) return Number.parseInt(text, 10) || 0;
  const exact = (Number.parseInt(text, 10) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[revisionKey] ?? '0');
}

/**
 * The Deployment controller: one ReplicaSet per pod-template hash, rolling updates within
 * maxSurge/maxUnavailable (or Recreate), and the status `kubectl rollout status` reads.
 */
export function reconcileDeployments(
  api: ResourceApi,
  timestamp: () => string,
  recheckAfter: (ms: number) => void = () => {},
  scope?: PassScope,
): void {
  for (const d of api.listScoped(api.type('deployments'), scope)) {
    const recheck = reconcileDeployment(api, d, timestamp);
    if (recheck !== undefined) recheckAfter(recheck);
  }
}

/** Returns the ms after which the progress deadline must be looked at again, if any. */
function reconcileDeployment(api: ResourceApi, d: KubeObject, timestamp: () => string): number | undefined {
  const ns = d.metadata.namespace;
  const rsType = api.type('replicasets');
  const hash = stableHash(JSON.stringify(sorted(d.spec.template)));
  const owned = api.list(rsType, ns, { where: (rs) => controllerUid(rs as KubeObject) === d.metadata.uid });
  let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const old = owned
    .filter((rs) => rs !== newRs)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  const desired: number = d.spec.replicas ?? 1;
  let created = false;
  if (newRs === undefined) {
    const template = clone(d.spec.template);
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
    };
    newRs = api.create(rsType, ns, {
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(desired),
          'deployment.kubernetes.io/max-replicas': String(desired + 1),
          [revisionKey]: String(maxRevision + 1),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas: 0,
        selector: {
          ...clone(d.spec.selector),
          matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
        },
        template,
      },
    });
    created = true;
  } else if (revisionOf(newRs) < maxRevision) {
    // Rolling back to an older template makes it the newest revision again.
    newRs = api.mutate('replicasets', ns, newRs.metadata.name, (r) => {
      r.metadata.annotations = { ...(r.metadata.annotations ?? {}), [revisionKey]: String(maxRevision + 1) };
    })!;
  }

  // Pods do not change while one Deployment is reconciled (only ReplicaSets do): list each RS's once.
  const podsByRs = new Map<string | undefined, KubeObject[]>();
  const podsOf = (rs: KubeObject) => {
    let pods = podsByRs.get(rs.metadata.uid);
    if (pods === undefined) {
      pods = api.list(api.type('pods'), ns, {
        where: (p) => controllerUid(p as KubeObject) === rs.metadata.uid,
      });
      podsByRs.set(rs.metadata.uid, pods);
    }
    return pods;
  };
  const readyOf = (rs: KubeObject) => podsOf(rs).filter(isReady).length;
  const scale = (rs: KubeObject, replicas: number) => {
    if ((rs.spec?.replicas ?? 0) === replicas) return;
    api.mutate('replicasets', ns, rs.metadata.name, (r) => {
      r.spec.replicas = replicas;
      r.metadata.annotations = {
        ...(r.metadata.annotations ?? {}),
        'deployment.kubernetes.io/desired-replicas': String(desired),
      };
    });
    rs.spec.replicas = replicas;
  };

  const strategy = d.spec.strategy ?? { type: 'RollingUpdate' };
  const oldActive = old.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (d.spec.paused === true) {
    // A paused deployment is left alone.
  } else if (oldActive.length === 0) {
    scale(newRs, desired);
  } else if (strategy.type === 'Recreate') {
    for (const rs of oldActive) scale(rs, 0);
    if (old.every((rs) => podsOf(rs).length === 0)) scale(newRs, desired);
  } else {
    const maxSurge = resolveIntOrPercent(strategy.rollingUpdate?.maxSurge ?? '25%', desired, true);
    let maxUnavailable = resolveIntOrPercent(strategy.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const total = () => [newRs!, ...old].reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
    // Scale up the new ReplicaSet within the surge budget.
    const newReplicas: number = newRs.spec?.replicas ?? 0;
    const room = desired + maxSurge - total();
    if (newReplicas < desired && room > 0) scale(newRs, newReplicas + Math.min(room, desired - newReplicas));
    if (newReplicas > desired) scale(newRs, desired);
    // Scale down old ReplicaSets within the availability budget: unhealthy pods first.
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = (newRs.spec?.replicas ?? 0) - readyOf(newRs);
    let budget = total() - minAvailable - newUnavailable;
    for (const rs of old) {
      if (budget <= 0) break;
      const unhealthy = Math.min((rs.spec?.replicas ?? 0) - readyOf(rs), budget);
      if (unhealthy > 0) {
        scale(rs, (rs.spec?.replicas ?? 0) - unhealthy);
        budget -= unhealthy;
      }
    }
    const available = [newRs, ...old].reduce(
      (sum, rs) => sum + Math.min(readyOf(rs), rs.spec?.replicas ?? 0),
      0,
    );
    let scaleDown = Math.min(available - minAvailable, budget);
    for (const rs of old) {
      if (scaleDown <= 0) break;
      const step = Math.min(rs.spec?.replicas ?? 0, scaleDown);
      scale(rs, (rs.spec?.replicas ?? 0) - step);
      scaleDown -= step;
    }
  }
  return writeStatus(api, d, newRs, [newRs, ...old], podsOf, created, timestamp);
}

function writeStatus(
  api: ResourceApi,
  d: KubeObject,
  newRs: KubeObject,
  all: KubeObject[],
  podsOf: (rs: KubeObject) => KubeObject[],
  created: boolean,
  timestamp: () => string,
): number | undefined {
  const desired: number = d.spec.replicas ?? 1;
  const pods = all.flatMap(podsOf);
  const updated = podsOf(newRs).length;
  const ready = pods.filter(isReady).length;
  const maxUnavailable = resolveIntOrPercent(
    d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
    desired,
    false,
  );
  const complete = updated === desired && pods.length === desired && ready === desired;
  const now = timestamp();
  const rsName = newRs.metadata.name;
  let recheck: number | undefined;
  api.mutate('deployments', d.metadata.namespace, d.metadata.name, (o) => {
    let conditions: Condition[] = o.status?.conditions ?? [];
    conditions = setCondition(
      conditions,
      ready >= desired - maxUnavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
    );
    const outcome = progressing(
      conditions,
      {
        rsName,
        complete,
        created,
        progressed: progressedSince(o.status ?? {}, pods.length, updated, ready),
        deadlineSeconds:
          typeof o.spec?.progressDeadlineSeconds === 'number' && o.spec?.paused !== true
            ? o.spec.progressDeadlineSeconds
            : undefined,
      },
      now,
    );
    conditions = outcome.conditions;
    recheck = outcome.recheckInMs;
    conditions.sort((a, b) => a.type.localeCompare(b.type));
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [revisionKey]: String(revisionOf(newRs)) };
    o.status = {
      observedGeneration: o.metadata.generation,
      replicas: pods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
      conditions,
    };
  });
  return recheck;
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones. */
function progressedSince(
  before: { replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number },
  replicas: number,
  updated: number,
  ready: number,
): boolean {
  const oldBefore = (before.replicas ?? 0) - (before.updatedReplicas ?? 0);
  return (
    updated > (before.updatedReplicas ?? 0) ||
    replicas - updated < oldBefore ||
    ready > (before.readyReplicas ?? 0) ||
    ready > (before.availableReplicas ?? 0)
  );
}
