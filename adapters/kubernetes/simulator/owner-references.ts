import type { KubeObject } from './kube-object.ts';

export function controllerUid(object: KubeObject): string | undefined {
  return (object.metadata.ownerReferences ?? []).find((r) => r.controller === true)?.uid;
}

export function controllerRef(
  owner: KubeObject,
): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? '',
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isReady(pod: KubeObject): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
    )
  );
}
