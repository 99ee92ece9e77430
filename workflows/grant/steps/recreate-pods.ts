/**
 * `recreatePods` (seed 4 and its notice): a policy only reaches pods created after it, so the owning
 * Deployments are restarted the way `kubectl rollout restart` does — respecting their rollout
 * strategy, never a bulk delete. The restart stamp is the approval time, so a re-run after a crash
 * patches nothing new. The step looks, and re-arms itself while rollouts are still moving.
 */
import { AppError } from '../../../src/errors.ts';
import { restartedAtAnnotation } from '../../../src/ports/cluster.ts';
import type { DeploymentInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { requireOutput } from './require-output.ts';
import { selectorString, workloadsOfPods } from './workloads-of-pods.ts';

export async function recreatePods(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ restarted: string[]; skipped: string[]; barePods: string[] }>> {
  const { spec } = context;
  const { podGroupId } = requireOutput(context, 'ensurePodSecurityGroup');
  const stamp = context.approvedAt ?? requireOutput(context, 'applyPolicy').appliedAt;
  const selector = selectorString(spec.podSelector);
  const pods = await ports.cluster.listPods(spec.namespace, selector);
  const { deployments, podWorkload } = await workloadsOfPods(spec.namespace, selector, pods, ports);

  const needsGroups = (name: string) => {
    const pod = pods.find((p) => p.name === name);
    return pod !== undefined && !pod.securityGroupIds.includes(podGroupId);
  };
  const restarted: DeploymentInfo[] = [];
  const skipped: string[] = [];
  for (const d of deployments) {
    const itsPods = [...podWorkload.entries()]
      .filter(([, w]) => w === `Deployment/${d.name}`)
      .map(([p]) => p);
    if (d.template.annotations[restartedAtAnnotation] === stamp) {
      restarted.push(d);
    } else if (itsPods.some(needsGroups)) {
      restarted.push(await ports.cluster.restartDeployment(spec.namespace, d.name, stamp));
    } else {
      skipped.push(d.name);
    }
  }
  const barePods = pods.filter((p) => p.owners.length === 0 && needsGroups(p.name)).map((p) => p.name);

  const moving: string[] = [];
  for (const d of restarted) {
    const stalled = d.status.conditions.find(
      (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
    );
    if (stalled) {
      throw new AppError(
        'ROLLOUT_STALLED',
        `Deployment ${d.name} stopped progressing: ${stalled.message ?? 'progress deadline exceeded'}.`,
        {
          hint: `Look at its new pods: kubectl describe pods -n ${spec.namespace} -l ${selector}; the old pods keep serving.`,
        },
      );
    }
    if (!rolledOut(d))
      moving.push(
        `${d.name} ${d.status.updatedReplicas}/${d.specReplicas} updated, ${d.status.availableReplicas} available`,
      );
  }
  if (moving.length > 0) {
    return { status: 'wait', delayMs: ports.settings.pollDelayMs, progress: moving.join('; ') };
  }
  return { status: 'done', output: { restarted: restarted.map((d) => d.name), skipped, barePods } };
}

/** The same test `kubectl rollout status` applies. */
function rolledOut(d: DeploymentInfo): boolean {
  const s = d.status;
  return (
    s.observedGeneration >= s.generation &&
    s.updatedReplicas === d.specReplicas &&
    s.replicas === d.specReplicas &&
    s.availableReplicas === d.specReplicas
  );
}
