/**
 * `verifying` (seed 5–9): every selected pod must be Ready, on a super node, and carry the group
 * (with `using`: every named group).
 * A pod that does not is reported with the reason the cluster gave (the Warning event's text).
 */
import { notSuperNodeReason } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { GrantContext, PodVerdict } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { policyGroupIds } from '../../shared/groups/find-pod-group.ts';
import { requireOutput } from '../../shared/require-output.ts';
import { listTargetPods } from '../../shared/pods/target-pods.ts';
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';

export async function verifyPods(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ pods: PodVerdict[]; allVerified: boolean }>> {
  const { spec } = context;
  const groupIds = policyGroupIds(requireOutput(context, 'ensurePodSecurityGroup'));
  const [pods, nodes] = await Promise.all([
    listTargetPods(ports, spec.namespace, spec),
    ports.cluster.listNodes(),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const verdicts: PodVerdict[] = [];
  for (const pod of pods) {
    const onSuper = pod.nodeName !== null && superNodes.has(pod.nodeName);
    const lacking = groupIds.filter((id) => !pod.securityGroupIds.includes(id));
    const hasGroup = lacking.length === 0;
    let reason: Words | null = null;
    if (!pod.ready) reason = words(`pod is ${pod.phase}, not Ready`, `Pod 状态为 ${pod.phase}，未就绪`);
    if (!onSuper || !hasGroup) {
      const events = await ports.cluster.listEvents(spec.namespace, pod.name);
      const warning = events.find((e) => e.type === 'Warning' && e.message.startsWith(notSuperNodeReason));
      // The cluster's own event text, as it said it; quoted for a 中文 reader.
      reason = warning
        ? words(warning.message, `集群事件：「${warning.message}」`)
        : !onSuper
          ? words(
              `pod runs on ${pod.nodeName ?? 'no node'}, which is not a super node`,
              `Pod 运行在 ${pod.nodeName ?? '（无节点）'} 上，不是超级节点`,
            )
          : words(
              `pod lacks security group ${lacking.join(', ')} (created before the policy?)`,
              `Pod 缺少安全组 ${lacking.join(', ')}（可能创建于策略之前？）`,
            );
    }
    verdicts.push({
      name: pod.name,
      node: pod.nodeName,
      ok: reason === null,
      groups: pod.securityGroupIds,
      reason,
      superNode: onSuper,
    });
  }
  return {
    status: 'done',
    output: { pods: verdicts, allVerified: verdicts.length > 0 && verdicts.every((v) => v.ok) },
  };
}
