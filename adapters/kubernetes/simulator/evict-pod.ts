import type { StatusBody } from './api-status.ts';
import { StatusError, success } from './api-status.ts';
import { isReady } from './owner-references.ts';
import { budgetStatus } from './pod-disruption-budgets.ts';
import type { ResourceApi } from './resource-api.ts';
import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';

function tooManyRequests(message: string, causeMessage: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', message: causeMessage }] },
    code: 429,
  });
}

/**
 * POST pods/{name}/eviction as kube-apiserver's EvictionREST: a pod that is not running or
 * not Ready may go (IfHealthyBudget); otherwise its one PodDisruptionBudget must allow a
 * disruption, else 429 TooManyRequests with the real message and cause.
 */
export function evictPod(api: ResourceApi, namespace: string, name: string): StatusBody {
  const podType = api.type('pods');
  const pod = api.get(podType, namespace, name);
  const budgets = api
    .list(api.type('poddisruptionbudgets'), namespace)
    .filter((b) => b.spec?.selector != null && matchesLabelSelector(b.spec.selector, pod.metadata.labels));
  if (budgets.length > 1) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      reason: 'InternalError',
      code: 500,
    });
  }
  const pdb = budgets[0];
  const ignoresBudget = ['Pending', 'Succeeded', 'Failed'].includes(pod.status?.phase ?? 'Pending');
  if (pdb !== undefined && !ignoresBudget) {
    // Computed now rather than read from status, as if the disruption controller had just run.
    const status = budgetStatus(api, pdb);
    const healthyBudget = status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0;
    const unhealthyMayGo = !isReady(pod) && healthyBudget;
    if (!unhealthyMayGo && status.disruptionsAllowed <= 0) {
      throw tooManyRequests(
        "Cannot evict pod as it would violate the pod's disruption budget.",
        `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      );
    }
  }
  api.delete(podType, namespace, name);
  return { ...success(podType, name), code: 201 };
}
