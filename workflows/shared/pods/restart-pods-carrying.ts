/**
 * Takes a group off running pods the only way Kubernetes allows: pods get their groups when they
 * are created, so the owning workloads are restarted the way `kubectl rollout restart` does (their
 * strategy respected, never a bulk delete) once the policy is gone. Only workloads whose pods carry
 * the group are restarted; the stamp is fixed by the caller (the revoke's or the rollback's time),
 * so a re-run patches nothing new. Each rollout is watched for a bounded time; while one still
 * moves, the step answers `wait` and is re-armed.
 */
import { restartedAtAnnotation } from '../../../src/ports/cluster.ts';
import type { PodInfo, WorkloadInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { StepPorts } from '../step-ports.ts';
import { listTargetPods, podQueryOf } from './target-pods.ts';
import { workloadKey, workloadsOfPods } from './workloads-of-pods.ts';
import type { GrantTarget } from '../target-spec.ts';
import type { Words } from '../../../src/domain/words.ts';
import { rolloutStalled, rolloutsMoving } from './rollout-words.ts';

export interface RestartedPods {
  restarted: string[];
  skipped: string[];
  /** Pods with no owner that carry the group: sgops never deletes them; they are reported. */
  barePods: string[];
}

export interface RestartInput {
  namespace: string;
  /** Whose pods: the grant's target and its label selector (see target-pods.ts). */
  target: GrantTarget;
  podSelector: Record<string, string>;
  stamp: string;
  /** What to tell the person when a rollout stalls. */
  retryHint: Words;
}

export function restartPodsCarrying(
  ports: StepPorts,
  input: RestartInput & {
    /** A pod carrying any of these is recreated. */
    groupIds: readonly string[];
  },
): Promise<StepResult<RestartedPods>> {
  const { groupIds } = input;
  return restartPodsWhere(ports, input, (p) => p.securityGroupIds.some((id) => groupIds.includes(id)));
}

/** The same restart for the pods `selects` picks (a repair: those that lack the group). */
export async function restartPodsWhere(
  ports: StepPorts,
  input: RestartInput,
  selects: (pod: PodInfo) => boolean,
): Promise<StepResult<RestartedPods>> {
  const { namespace, stamp } = input;
  const { labelSelector: selector, fieldSelector } = podQueryOf(input);
  const pods = await listTargetPods(ports, namespace, input);
  const { workloads, podWorkload } = await workloadsOfPods(namespace, selector, pods, ports);

  const carrying = new Set(pods.filter(selects).map((p) => p.name));
  const restarted: { workload: WorkloadInfo; now: boolean }[] = [];
  const skipped: string[] = [];
  for (const w of workloads) {
    const key = workloadKey(w);
    const itsPods = [...podWorkload.entries()].filter(([, owner]) => owner === key).map(([pod]) => pod);
    if (w.template.annotations[restartedAtAnnotation] === stamp) restarted.push({ workload: w, now: false });
    else if (itsPods.some((p) => carrying.has(p)))
      restarted.push({ workload: await ports.cluster.restartWorkload(namespace, w, stamp), now: true });
    else skipped.push(key);
  }
  const barePods = pods.filter((p) => p.owners.length === 0 && carrying.has(p.name)).map((p) => p.name);

  const moving: WorkloadInfo[] = [];
  for (const { workload: started, now } of restarted) {
    const w = started.rollout.complete
      ? started
      : await ports.cluster.waitForRollout(namespace, started, {
          timeoutMs: ports.settings.rolloutWaitMs,
          ...(ports.signal ? { signal: ports.signal } : {}),
        });
    // A stall seen right after our own patch may be the previous rollout's, not yet re-judged by the
    // controller (the port's status does not say which generation it observed): look again later.
    if (w.rollout.stalled && !now) {
      const look = `kubectl describe pods -n ${namespace} ${fieldSelector ? `--field-selector ${fieldSelector}` : `-l ${selector}`}`;
      throw rolloutStalled(w, look, input.retryHint);
    }
    if (!w.rollout.complete) moving.push(w);
  }
  if (moving.length > 0)
    return { status: 'wait', delayMs: ports.settings.pollDelayMs, progress: rolloutsMoving(moving) };
  return {
    status: 'done',
    output: { restarted: restarted.map(({ workload }) => workloadKey(workload)), skipped, barePods },
  };
}
