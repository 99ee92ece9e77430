import type { PassScope } from './controller-loop.ts';
import type { KubeObject } from './kube-object.ts';
import { recordEvent } from './record-event.ts';
import type { ResourceApi } from './resource-api.ts';
import type { SecurityGroupAdmission } from './security-group-admission.ts';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

function meets(value: string | undefined, r: NodeSelectorRequirement): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(r.values?.[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(r.values?.[0]);
    default:
      return false;
  }
}

/** requiredDuringSchedulingIgnoredDuringExecution: any term matches (labels and metadata.name fields). */
function affinityAllows(pod: KubeObject, node: KubeObject): boolean {
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) as {
    matchExpressions?: NodeSelectorRequirement[];
    matchFields?: NodeSelectorRequirement[];
  }[];
  if (terms.length === 0) return true;
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((r) => meets(node.metadata.labels?.[r.key], r)) &&
      (term.matchFields ?? []).every((r) =>
        meets(r.key === 'metadata.name' ? node.metadata.name : undefined, r),
      ),
  );
}

/** Why the pod cannot go to the node, in kube-scheduler's words; undefined when it fits. */
export function whyNot(pod: KubeObject, node: KubeObject): string | undefined {
  if (node.spec?.unschedulable === true) return 'node(s) were unschedulable';
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (
    Object.entries(selector).some(([k, v]) => node.metadata.labels?.[k] !== v) ||
    !affinityAllows(pod, node)
  ) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const taints: Taint[] = node.spec?.taints ?? [];
  const blocking = taints.find(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations ?? [], t),
  );
  if (blocking !== undefined) {
    return `node(s) had untolerated taint {${blocking.key}: ${blocking.value ?? ''}}`;
  }
  return undefined;
}

/**
 * kube-scheduler, reduced to what the procedure depends on: nodeSelector, required node
 * affinity (labels and metadata.name, as DaemonSet pods use), NoSchedule/NoExecute taints and tolerations, least-loaded node first; a pod that fits nowhere stays Pending.
 */
export function schedulePods(
  api: ResourceApi,
  admission: SecurityGroupAdmission,
  timestamp: () => string,
  scope?: PassScope,
): void {
  const pending = api.listScoped(api.type('pods'), scope, {
    where: (p) => !p.spec?.nodeName && p.status?.phase === 'Pending',
  });
  if (pending.length === 0) return;
  const nodes = api.list(api.type('nodes'), undefined);
  // Load counts every namespace's pods, whatever the pass looks at.
  const load = new Map<string, number>();
  api.scan('pods', (p) => {
    if (p.spec?.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
  });
  for (const pod of pending) {
    const reasons = new Map<string, number>();
    const fitting = nodes.filter((n) => {
      const reason = whyNot(pod, n);
      if (reason !== undefined) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      return reason === undefined;
    });
    fitting.sort((a, b) => (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0));
    const node = fitting[0];
    if (node === undefined) {
      markUnschedulable(api, pod, nodes.length, reasons, timestamp);
      continue;
    }
    load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
    const outcome = admission.onBound(pod, node);
    const bound = api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.spec.nodeName = node.metadata.name;
      if (Object.keys(outcome.annotations).length > 0) {
        p.metadata.annotations = { ...(p.metadata.annotations ?? {}), ...outcome.annotations };
      }
      p.status.conditions = [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() },
      ];
    });
    if (bound === undefined) continue;
    const ns = pod.metadata.namespace;
    recordEvent(
      api,
      {
        involved: bound,
        type: 'Normal',
        reason: 'Scheduled',
        message: `Successfully assigned ${ns}/${pod.metadata.name} to ${node.metadata.name}`,
        component: 'default-scheduler',
      },
      timestamp(),
    );
    if (outcome.warning !== undefined) {
      recordEvent(
        api,
        {
          involved: bound,
          type: 'Warning',
          ...outcome.warning,
          component: 'eklet',
          host: node.metadata.name,
        },
        timestamp(),
      );
    }
  }
}

function markUnschedulable(
  api: ResourceApi,
  pod: KubeObject,
  nodeCount: number,
  reasons: Map<string, number>,
  timestamp: () => string,
): void {
  const detail = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).join(', ');
  const message = `0/${nodeCount} nodes are available: ${detail}.`;
  const already = (pod.status?.conditions ?? []).some(
    (c: { type: string; message?: string }) => c.type === 'PodScheduled' && c.message === message,
  );
  if (already) return;
  const updated = api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
    p.status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null,
        lastTransitionTime: timestamp(),
      },
    ];
  });
  if (updated !== undefined) {
    recordEvent(
      api,
      {
        involved: updated,
        type: 'Warning',
        reason: 'FailedScheduling',
        message,
        component: 'default-scheduler',
      },
      timestamp(),
    );
  }
}
