/**
 * `verifying` (seed 5–9): every selected pod must be Ready, on a super node, and carry the group.
 * A pod that does not is reported with the reason the cluster gave (the Warning event's text).
 */
import { notSuperNodeReason } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { GrantContext, PodVerdict } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { requireOutput } from './require-output.ts';
import { selectorString } from './workloads-of-pods.ts';

export async function verifyPods(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ pods: PodVerdict[]; allVerified: boolean }>> {
  const { spec } = context;
  const { podGroupId } = requireOutput(context, 'ensurePodSecurityGroup');
  const [pods, nodes] = await Promise.all([
    ports.cluster.listPods(spec.namespace, selectorString(spec.podSelector)),
    ports.cluster.listNodes(),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const verdicts: PodVerdict[] = [];
  for (const pod of pods) {
    const onSuper = pod.nodeName !== null && superNodes.has(pod.nodeName);
    const hasGroup = pod.securityGroupIds.includes(podGroupId);
    let reason: string | null = null;
    if (!pod.ready) reason = `pod is ${pod.phase}, not Ready`;
    if (!onSuper || !hasGroup) {
      const events = await ports.cluster.listEvents(spec.namespace, pod.name);
      const warning = events.find((e) => e.type === 'Warning' && e.message.startsWith(notSuperNodeReason));
      reason =
        warning?.message ??
        (!onSuper
          ? `pod runs on ${pod.nodeName ?? 'no node'}, which is not a super node`
          : `pod lacks security group ${podGroupId} (created before the policy?)`);
    }
    verdicts.push({
      name: pod.name,
      node: pod.nodeName,
      ok: reason === null,
      groups: pod.securityGroupIds,
      reason,
    });
  }
  return {
    status: 'done',
    output: { pods: verdicts, allVerified: verdicts.length > 0 && verdicts.every((v) => v.ok) },
  };
}
