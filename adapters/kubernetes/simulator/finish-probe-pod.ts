import type { KubeObject } from './kube-object.ts';
import type { ResourceApi } from './resource-api.ts';

/** A probe pod's container exits once its checks are done: Succeeded (exit 0) or Failed (exit 1). */
export function finishProbePod(
  api: ResourceApi,
  pod: KubeObject,
  ok: boolean,
  now: string,
): KubeObject | undefined {
  return api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
    if (p.metadata.uid !== pod.metadata.uid || p.status?.phase !== 'Running') return;
    const completed = (type: string) => ({
      type,
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
      reason: 'PodCompleted',
    });
    p.status.phase = ok ? 'Succeeded' : 'Failed';
    p.status.conditions = ((p.status.conditions ?? []) as { type: string }[]).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? completed(c.type)
        : c.type === 'PodReadyToStartContainers'
          ? { ...c, status: 'False', lastTransitionTime: now }
          : c,
    );
    p.status.containerStatuses = (
      (p.status.containerStatuses ?? []) as {
        state?: { running?: { startedAt?: string } };
        containerID?: string;
      }[]
    ).map((s) => ({
      ...s,
      state: {
        terminated: {
          exitCode: ok ? 0 : 1,
          reason: ok ? 'Completed' : 'Error',
          startedAt: s.state?.running?.startedAt ?? now,
          finishedAt: now,
          containerID: s.containerID,
        },
      },
      ready: false,
      started: false,
    }));
  });
}
