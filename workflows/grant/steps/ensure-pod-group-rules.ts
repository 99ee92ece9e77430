/**
 * `ensurePodGroupRules` (seed 1d and its notice): the pod group admits everything from itself and
 * from the cluster group (kubelet health checks) plus what was asked (`allow … from …`), and lets
 * the pods out as requested. A group named with `allow … to sg-x` (e.g. a database's) gets ingress
 * from the pod group — ahead of any DROP rule in it.
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
): Promise<
  StepResult<{
    ingressAdded: Rule[];
    egressAdded: Rule[];
    targetAdded: { securityGroupId: string; rules: Rule[] }[];
  }>
> {
  const { clusterGroupId } = requireOutput(context, 'planning');
  const { podGroupId } = requireOutput(context, 'ensurePodSecurityGroup');
  const { spec } = context;
  const id = spec.requestId;
  const added = await ensureRules(ports, podGroupId, {
    ingress: [
      fromGroup(podGroupId, 'ALL', 'ALL', `sgops ${id}: pods of this group`),
      fromGroup(clusterGroupId, 'ALL', 'ALL', `sgops ${id}: kubelet health checks from the cluster group`),
      ...(spec.extraIngress ?? []),
    ],
    egress: spec.egress,
  });
  const targetAdded: { securityGroupId: string; rules: Rule[] }[] = [];
  for (const target of spec.targetGroups ?? []) {
    const rules = target.rules.map((r) => ({ ...r, peer: { securityGroupId: podGroupId } }));
    const { ingress } = await ensureRules(ports, target.securityGroupId, { ingress: rules });
    if (ingress.length > 0) targetAdded.push({ securityGroupId: target.securityGroupId, rules: ingress });
  }
  return { status: 'done', output: { ingressAdded: added.ingress, egressAdded: added.egress, targetAdded } };
}
