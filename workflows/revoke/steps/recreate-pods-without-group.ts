/**
 * `recreatePods` of a revoke: with the policy gone, restart the workloads whose pods carry the
 * group (or a group named in `using`) so that their new pods come up without it. The stamp is the
 * time the revoke was asked.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { existingGroupIdsOf } from './pod-group-of.ts';
import { requireOutput } from '../../shared/require-output.ts';
import { restartPodsCarrying } from '../../shared/pods/restart-pods-carrying.ts';
import { fixThenRetry } from '../../shared/pods/rollout-words.ts';

export async function recreatePodsWithoutGroup(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['recreatePods']>>> {
  const { spec } = context;
  const plan = requireOutput(context, 'planning');
  const removed = requireOutput(context, 'removePolicy');
  // A policy left in place would give its groups straight back to the new pods: restart nothing.
  if (removed.kept !== null) return { status: 'done', output: { restarted: [], skipped: [], barePods: [] } };
  const groupIds = [
    ...new Set([
      ...(plan.podGroupId ? [plan.podGroupId] : []),
      ...existingGroupIdsOf(spec),
      ...plan.policy.groupIds,
    ]),
  ];
  if (groupIds.length === 0) return { status: 'done', output: { restarted: [], skipped: [], barePods: [] } };
  return restartPodsCarrying(ports, {
    namespace: spec.namespace,
    target: spec.target,
    podSelector: spec.podSelector,
    groupIds,
    stamp: context.requestedAt,
    retryHint: fixThenRetry(spec.requestId),
  });
}
