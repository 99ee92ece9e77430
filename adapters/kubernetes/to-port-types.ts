import type {
  CoreV1Event,
  V1Node,
  V1OwnerReference,
  V1Pod,
  V1ReplicaSet,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type {
  EventInfo,
  LabelSelector,
  NodeInfo,
  OwnerRef,
  PodInfo,
  ReplicaSetInfo,
  SecurityGroupPolicyInfo,
  ServiceAccountInfo,
} from '../../src/ports/cluster.ts';
import { securityGroupAnnotation, superNodeLabel } from '../../src/ports/cluster.ts';

/** Timestamps as the API server wrote them (RFC 3339, seconds), whatever client-node parsed them into. */
export function timestampOf(value: Date | string | undefined | null): string {
  if (value === undefined || value === null) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.000Z$/, 'Z');
}

function ownersOf(refs: V1OwnerReference[] | undefined): OwnerRef[] {
  return (refs ?? []).map((r) => ({ kind: r.kind, name: r.name, uid: r.uid }));
}

export function toNodeInfo(node: V1Node): NodeInfo {
  const labels = node.metadata?.labels ?? {};
  return {
    name: node.metadata?.name ?? '',
    labels: { ...labels },
    taints: (node.spec?.taints ?? []).map((t) => ({
      key: t.key,
      ...(t.value === undefined ? {} : { value: t.value }),
      effect: t.effect,
    })),
    superNode: labels[superNodeLabel.key] === superNodeLabel.value,
  };
}

export function toPodInfo(pod: V1Pod): PodInfo {
  const annotations = pod.metadata?.annotations ?? {};
  const groups = annotations[securityGroupAnnotation];
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    uid: pod.metadata?.uid ?? '',
    labels: { ...(pod.metadata?.labels ?? {}) },
    annotations: { ...annotations },
    serviceAccountName: pod.spec?.serviceAccountName ?? 'default',
    nodeName: pod.spec?.nodeName ?? null,
    phase: pod.status?.phase ?? 'Unknown',
    ready: (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    createdAt: timestampOf(pod.metadata?.creationTimestamp),
    owners: ownersOf(pod.metadata?.ownerReferences),
    // Only when so: a pod at rest reads as before.
    ...(pod.metadata?.deletionTimestamp ? { terminating: true } : {}),
    ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
    securityGroupIds:
      groups === undefined
        ? []
        : groups
            .split(',')
            .map((g) => g.trim())
            .filter((g) => g !== ''),
  };
}

export function toEventInfo(event: CoreV1Event): EventInfo {
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    involvedObject: {
      kind: event.involvedObject.kind ?? '',
      name: event.involvedObject.name ?? '',
      ...(event.involvedObject.uid === undefined ? {} : { uid: event.involvedObject.uid }),
    },
    createdAt: timestampOf(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp),
  };
}

export function toReplicaSetInfo(rs: V1ReplicaSet): ReplicaSetInfo {
  return {
    name: rs.metadata?.name ?? '',
    namespace: rs.metadata?.namespace ?? '',
    uid: rs.metadata?.uid ?? '',
    owners: ownersOf(rs.metadata?.ownerReferences),
  };
}

export function toServiceAccountInfo(account: V1ServiceAccount): ServiceAccountInfo {
  return {
    name: account.metadata?.name ?? '',
    namespace: account.metadata?.namespace ?? '',
    labels: { ...(account.metadata?.labels ?? {}) },
  };
}

interface SecurityGroupPolicyObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: {
    podSelector?: LabelSelector;
    serviceAccountSelector?: LabelSelector;
    securityGroups?: { groupIds?: string[] };
  };
}

export function toSecurityGroupPolicyInfo(object: unknown): SecurityGroupPolicyInfo {
  const o = object as SecurityGroupPolicyObject;
  return {
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace ?? '',
    ...(o.metadata?.resourceVersion === undefined ? {} : { resourceVersion: o.metadata.resourceVersion }),
    ...(o.metadata?.labels === undefined ? {} : { labels: { ...o.metadata.labels } }),
    ...(o.spec?.podSelector == null ? {} : { podSelector: o.spec.podSelector }),
    ...(o.spec?.serviceAccountSelector == null
      ? {}
      : { serviceAccountSelector: o.spec.serviceAccountSelector }),
    groupIds: [...(o.spec?.securityGroups?.groupIds ?? [])],
    ...(o.metadata?.creationTimestamp === undefined
      ? {}
      : { createdAt: timestampOf(o.metadata.creationTimestamp) }),
  };
}

/** The custom object body for create and replace; the resourceVersion is the replace precondition. */
export function toSecurityGroupPolicyBody(
  policy: SecurityGroupPolicyInfo,
  apiVersion: string,
): SecurityGroupPolicyObject {
  return {
    apiVersion,
    kind: 'SecurityGroupPolicy',
    metadata: {
      name: policy.name,
      namespace: policy.namespace,
      ...(policy.resourceVersion === undefined ? {} : { resourceVersion: policy.resourceVersion }),
      ...(policy.labels === undefined ? {} : { labels: { ...policy.labels } }),
    },
    spec: {
      ...(policy.podSelector === undefined ? {} : { podSelector: policy.podSelector }),
      ...(policy.serviceAccountSelector === undefined
        ? {}
        : { serviceAccountSelector: policy.serviceAccountSelector }),
      securityGroups: { groupIds: [...policy.groupIds] },
    },
  };
}
