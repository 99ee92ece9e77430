/**
 * `recreatePods` of a repair: only the workloads of the pods the plan found without the group (on a
 * super node) are restarted, the way `kubectl rollout restart` does; pods that carry it are left
 * alone. The stamp is the approval's time, so a re-run patches nothing new.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import { words } from '../../../src/domain/words.ts';
import { restartPodsWhere } from '../../shared/pods/restart-pods-carrying.ts';
import type { RestartedPods } from '../../shared/pods/restart-pods-carrying.ts';
import { requireOutput } from '../../shared/require-output.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RepairContext } from '../types.ts';
import { approvedStateOf } from './plan-repair.ts';

export async function recreatePodsLackingGroup(
  context: RepairContext,
  ports: StepPorts,
): Promise<StepResult<RestartedPods>> {
  const { spec } = context;
  const { restore } = requireOutput(context, 'planning');
  if (restore.recreatePods.length === 0)
    return { status: 'done', output: { restarted: [], skipped: [], barePods: [] } };
  const planned = new Set(restore.recreatePods);
  const { groupIds } = approvedStateOf(context).policy;
  return restartPodsWhere(
    ports,
    {
      namespace: spec.namespace,
      target: spec.target,
      podSelector: spec.podSelector,
      stamp: context.approvedAt ?? context.requestedAt,
      retryHint: words(
        `Fix the rollout, then \`retry ${spec.requestId}\`.`,
        `请修复滚动更新，然后回复 \`重试 ${spec.requestId}\`。`,
      ),
    },
    (pod) => planned.has(pod.name) && groupIds.some((id) => !pod.securityGroupIds.includes(id)),
  );
}
