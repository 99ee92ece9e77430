import type { FieldCause } from './api-status.ts';
import type { KubeObject } from './kube-object.ts';
import type { ResourceType } from './resource-types.ts';

/**
 * Defaulting and validation for the kinds added after the first wave (statefulsets, daemonsets,
 * PodDisruptionBudgets, secrets, RBAC bindings), kept apart so admit-object stays small.
 */
export function defaultMoreKinds(t: ResourceType, object: KubeObject): void {
  const spec = (object.spec ??= {}) as Record<string, unknown>;
  switch (t.plural) {
    case 'statefulsets':
      spec['replicas'] ??= 1;
      spec['podManagementPolicy'] ??= 'OrderedReady';
      spec['revisionHistoryLimit'] ??= 10;
      spec['updateStrategy'] ??= { type: 'RollingUpdate' };
      defaultRollingUpdate(spec, { partition: 0 });
      spec['persistentVolumeClaimRetentionPolicy'] ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      object.status ??= { replicas: 0, availableReplicas: 0 };
      break;
    case 'daemonsets':
      spec['revisionHistoryLimit'] ??= 10;
      spec['updateStrategy'] ??= { type: 'RollingUpdate' };
      defaultRollingUpdate(spec, { maxUnavailable: 1, maxSurge: 0 });
      object.status ??= {
        currentNumberScheduled: 0,
        desiredNumberScheduled: 0,
        numberMisscheduled: 0,
        numberReady: 0,
      };
      break;
    case 'poddisruptionbudgets':
      object.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    case 'secrets':
      delete object.spec;
      normalizeSecret(object);
      break;
    default:
      if (Object.keys(spec).length === 0) delete object.spec;
  }
}

function defaultRollingUpdate(spec: Record<string, unknown>, defaults: Record<string, unknown>): void {
  const strategy = spec['updateStrategy'] as { type?: string; rollingUpdate?: Record<string, unknown> };
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate')
    strategy.rollingUpdate = { ...defaults, ...(strategy.rollingUpdate ?? {}) };
}

/** `stringData` is write-only: the server folds it into base64 `data`, as the real one does. */
export function normalizeSecret(secret: KubeObject): void {
  secret['type'] ??= 'Opaque';
  const plain = secret['stringData'] as Record<string, string> | undefined;
  if (plain !== undefined && plain !== null) {
    const data = { ...((secret['data'] as Record<string, string> | undefined) ?? {}) };
    for (const [key, value] of Object.entries(plain))
      data[key] = Buffer.from(String(value)).toString('base64');
    secret['data'] = data;
  }
  delete secret['stringData'];
}

export function validateMoreKinds(t: ResourceType, object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  if (t.plural === 'poddisruptionbudgets') {
    const spec = object.spec ?? {};
    if (spec.minAvailable != null && spec.maxUnavailable != null) {
      causes.push({
        field: 'spec',
        message: `Invalid value: ${JSON.stringify(spec)}: minAvailable and maxUnavailable cannot be both set`,
      });
    }
  }
  if (t.plural === 'rolebindings' || t.plural === 'clusterrolebindings') {
    const ref = (object['roleRef'] ?? {}) as { kind?: string; name?: string };
    const kinds = t.plural === 'rolebindings' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(ref.kind ?? '')) {
      causes.push({
        field: 'roleRef.kind',
        message: `Unsupported value: ${JSON.stringify(ref.kind ?? '')}: supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`,
        reason: 'FieldValueNotSupported',
      });
    }
    if (!ref.name)
      causes.push({ field: 'roleRef.name', message: 'Required value', reason: 'FieldValueRequired' });
  }
  return causes;
}
