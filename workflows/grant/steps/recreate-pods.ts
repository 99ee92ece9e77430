/**
 * `recreatePods` (seed 4 and its notice): a policy only reaches pods created after it, so the owning
 * workloads are restarted the way `kubectl rollout restart` does — respecting their rollout
 * strategy, never a bulk delete. The restart stamp is the approval time, so a re-run after a crash
 * patches nothing new. The step then watches each rollout (one watch request, however many pods and
 * however slow) for a bounded time, and re-arms itself if the rollout is still moving.
 */
import { restartedAtAnnotation } from '../../../src/ports/cluster.ts';
import type { WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { policyGroupIds } from '../../shared/groups/find-pod-group.ts';
import { requireOutput } from '../../shared/require-output.ts';
import { listTargetPods, podQueryOf } from '../../shared/pods/target-pods.ts';
import { workloadKey, workloadsOfPods } from '../../shared/pods/workloads-of-pods.ts';
import { fixThenRetry, rolloutStalled, rolloutsMoving } from '../../shared/pods/rollout-words.ts';

export async function recreatePods(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ restarted: string[]; skipped: string[]; barePods: string[] }>> {
  const { spec } = context;
  const groupIds = policyGroupIds(requireOutput(context, 'ensurePodSecurityGroup'));
  const stamp = context.approvedAt ?? requireOutput(context, 'applyPolicy').appliedAt;
  const { labelSelector: selector, fieldSelector } = podQueryOf(spec);
  const pods = await listTargetPods(ports, spec.namespace, spec);
  const { workloads, podWorkload } = await workloadsOfPods(spec.namespace, selector, pods, ports);

  const lacksGroup = new Set(
    pods.filter((p) => !groupIds.every((id) => p.securityGroupIds.includes(id))).map((p) => p.name),
  );
  const restarted: WorkloadInfo[] = [];
  const skipped: string[] = [];
  for (const w of workloads) {
    const key = workloadKey(w);
    const itsPods = [...podWorkload.entries()].filter(([, owner]) => owner === key).map(([pod]) => pod);
    if (w.template.annotations[restartedAtAnnotation] === stamp) restarted.push(w);
    else if (itsPods.some((p) => lacksGroup.has(p)))
      restarted.push(await ports.cluster.restartWorkload(spec.namespace, w, stamp));
    else skipped.push(key);
  }
  const barePods = pods.filter((p) => p.owners.length === 0 && lacksGroup.has(p.name)).map((p) => p.name);

  const moving: WorkloadInfo[] = [];
  for (const started of restarted) {
    const w = started.rollout.complete
      ? started
      : await ports.cluster.waitForRollout(spec.namespace, started, {
          timeoutMs: ports.settings.rolloutWaitMs,
          ...(ports.signal ? { signal: ports.signal } : {}),
        });
    if (w.rollout.stalled) {
      const look = `kubectl describe pods -n ${spec.namespace} ${fieldSelector ? `--field-selector ${fieldSelector}` : `-l ${selector}`}`;
      throw rolloutStalled(w, look, fixThenRetry(spec.requestId));
    }
    if (!w.rollout.complete) moving.push(w);
  }
  if (moving.length > 0)
    return { status: 'wait', delayMs: ports.settings.pollDelayMs, progress: rolloutsMoving(moving) };
  return { status: 'done', output: { restarted: restarted.map((w) => workloadKey(w)), skipped, barePods } };
}
