/**
 * Deployments, StatefulSets and DaemonSets as one WorkloadInfo, with the rollout judged the way
 * `kubectl rollout status` judges each kind.
 */
import type { V1DaemonSet, V1Deployment, V1PodTemplateSpec, V1StatefulSet } from '@kubernetes/client-node';
import type { RolloutStatus, WorkloadInfo, WorkloadKind } from '../../src/ports/cluster.ts';

export type AnyWorkload = V1Deployment | V1StatefulSet | V1DaemonSet;

export function toWorkloadInfo(kind: WorkloadKind, w: AnyWorkload): WorkloadInfo {
  return {
    kind,
    name: w.metadata?.name ?? '',
    namespace: w.metadata?.namespace ?? '',
    uid: w.metadata?.uid ?? '',
    labels: { ...(w.metadata?.labels ?? {}) },
    template: templateOf(w.spec?.template),
    rollout: rolloutOf(kind, w),
  };
}

function templateOf(template: V1PodTemplateSpec | undefined): WorkloadInfo['template'] {
  return {
    labels: { ...(template?.metadata?.labels ?? {}) },
    annotations: { ...(template?.metadata?.annotations ?? {}) },
    nodeSelector: { ...(template?.spec?.nodeSelector ?? {}) },
    tolerations: (template?.spec?.tolerations ?? []).map((t) => ({
      ...(t.key === undefined ? {} : { key: t.key }),
      ...(t.operator === undefined ? {} : { operator: t.operator }),
      ...(t.value === undefined ? {} : { value: t.value }),
      ...(t.effect === undefined ? {} : { effect: t.effect }),
    })),
  };
}

function rolloutOf(kind: WorkloadKind, w: AnyWorkload): RolloutStatus {
  const observed = (w.status?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0);
  if (kind === 'DaemonSet') {
    const s = (w as V1DaemonSet).status;
    const desired = s?.desiredNumberScheduled ?? 0;
    const updated = s?.updatedNumberScheduled ?? 0;
    const available = s?.numberAvailable ?? 0;
    return {
      complete: observed && updated >= desired && available >= desired,
      stalled: null,
      desired,
      updated,
      ready: s?.numberReady ?? 0,
      available,
    };
  }
  if (kind === 'StatefulSet') {
    const set = w as V1StatefulSet;
    const desired = set.spec?.replicas ?? 1;
    const s = set.status;
    const updated = s?.updatedReplicas ?? 0;
    const ready = s?.readyReplicas ?? 0;
    return {
      complete:
        observed &&
        updated >= desired &&
        ready >= desired &&
        (s?.currentRevision ?? '') === (s?.updateRevision ?? ''),
      stalled: null,
      desired,
      updated,
      ready,
      available: s?.availableReplicas ?? ready,
    };
  }
  const d = w as V1Deployment;
  const desired = d.spec?.replicas ?? 1;
  const s = d.status;
  const stalled = (s?.conditions ?? []).find(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  const updated = s?.updatedReplicas ?? 0;
  const available = s?.availableReplicas ?? 0;
  return {
    complete: observed && updated === desired && (s?.replicas ?? 0) === desired && available === desired,
    stalled: stalled ? (stalled.message ?? 'progress deadline exceeded') : null,
    desired,
    updated,
    ready: s?.readyReplicas ?? 0,
    available,
  };
}
