import type { KubeObject } from './kube-object.ts';
import { recordEvent } from './record-event.ts';
import type { ResourceApi } from './resource-api.ts';

/**
 * The pod's sandbox could not be created (a security group it names is missing, or it names
 * more than an instance may carry): it stays Pending in ContainerCreating, and a
 * `FailedCreatePodSandBox` Warning says why — recorded once, its count raised on every retry
 * like the kubelet's event aggregation. Returns the event's name.
 */
export function failPodSandbox(
  api: ResourceApi,
  pod: KubeObject,
  message: string,
  now: string,
  previousEvent: string | undefined,
): string | undefined {
  const updated = api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
    const names = ((p.spec.containers ?? []) as { name: string }[]).map((c) => c.name);
    const condition = (type: string, status: 'True' | 'False') => {
      const earlier = ((p.status?.conditions ?? []) as { type: string; lastTransitionTime?: string }[]).find(
        (c) => c.type === type,
      );
      return {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: earlier?.lastTransitionTime ?? now,
        ...(status === 'False' && (type === 'Ready' || type === 'ContainersReady')
          ? { reason: 'ContainersNotReady', message: `containers with unready status: [${names.join(' ')}]` }
          : {}),
      };
    };
    p.status = {
      ...p.status,
      phase: 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', 'False'),
        condition('Initialized', 'True'),
        condition('Ready', 'False'),
        condition('ContainersReady', 'False'),
        condition('PodScheduled', 'True'),
      ],
      containerStatuses: ((p.spec.containers ?? []) as { name: string; image: string }[]).map((c) => ({
        name: c.name,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: c.image,
        imageID: '',
        started: false,
      })),
    };
  });
  if (updated === undefined) return undefined;
  const ns = updated.metadata.namespace;
  if (previousEvent !== undefined) {
    const bumped = api.mutate('events', ns, previousEvent, (e) => {
      e['count'] = Number(e['count'] ?? 1) + 1;
      e['lastTimestamp'] = now;
      e['message'] = message;
    });
    if (bumped !== undefined) return previousEvent;
  }
  const event = recordEvent(
    api,
    {
      involved: updated,
      type: 'Warning',
      reason: 'FailedCreatePodSandBox',
      message,
      component: 'kubelet',
      host: updated.spec.nodeName,
    },
    now,
  );
  return event.metadata.name;
}
