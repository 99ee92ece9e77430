/**
 * `ensurePodGroupRules` (seed 1d and its notice): the pod group admits everything from itself and
 * from the cluster group (kubelet health checks), and lets the pods out as requested.
 */
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { fromGroup } from '../rules.ts';
import { ensureRules } from './ensure-rules.ts';
import { requireOutput } from './require-output.ts';

export async function ensurePodGroupRules(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ ingressAdded: Rule[]; egressAdded: Rule[] }>> {
  const { clusterGroupId } = requireOutput(context, 'planning');
  const { podGroupId } = requireOutput(context, 'ensurePodSecurityGroup');
  const id = context.spec.requestId;
  const added = await ensureRules(ports, podGroupId, {
    ingress: [
      fromGroup(podGroupId, 'ALL', 'ALL', `sgops ${id}: pods of this group`),
      fromGroup(clusterGroupId, 'ALL', 'ALL', `sgops ${id}: kubelet health checks from the cluster group`),
    ],
    egress: context.spec.egress,
  });
  return { status: 'done', output: { ingressAdded: added.ingress, egressAdded: added.egress } };
}
