import { randomBytes } from 'node:crypto';
import type { KubeObject } from './kube-object.ts';
import type { ResourceApi } from './resource-api.ts';

export interface EventSpec {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
}

/** A core/v1 Event about an object, as `kubectl describe` and `kubectl get events` show them. */
export function recordEvent(api: ResourceApi, spec: EventSpec, timestamp: string): KubeObject {
  const o = spec.involved;
  return api.create(api.type('events'), o.metadata.namespace ?? 'default', {
    metadata: { name: `${o.metadata.name}.${randomBytes(8).toString('hex')}` },
    involvedObject: {
      kind: o.kind,
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      uid: o.metadata.uid,
      apiVersion: o.apiVersion,
      resourceVersion: o.metadata.resourceVersion,
    },
    reason: spec.reason,
    message: spec.message,
    source: { component: spec.component, ...(spec.host === undefined ? {} : { host: spec.host }) },
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: 1,
    type: spec.type,
    eventTime: null,
    reportingComponent: spec.component,
    reportingInstance: spec.host ?? '',
  });
}
