/**
 * `ensurePodGroupRules` (seed 1d and its notice): the pod group admits everything from itself and
 * from the cluster group (kubelet health checks) plus what was asked (`allow … from …`), and lets
 * the pods out as requested. A group named with `allow … to sg-x` (e.g. a database's) gets ingress
 * from the pod group — ahead of any DROP rule in it.
 *
 * With `using`, the named groups are the requester's: each gets only the kubelet health checks
 * from the cluster group, and only when it lacks them; `allow` rules go to the first named group
 * (and `allow … to sg-x` admits that first group). Everything written carries this request's id in
 * its description, which is how rollback and revoke find it again.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { kubeletRule } from '../../shared/rules/kubelet-rule.ts';
import { selfRule } from '../../shared/rules/self-rule.ts';
import { ensureRules } from '../../shared/groups/ensure-rules.ts';
import { policyGroupIds } from '../../shared/groups/find-pod-group.ts';
import { requireOutput } from '../../shared/require-output.ts';

// Where plan.ts and already-in-place.ts have always found it; the drift watch builds it from shared/.
export { kubeletRule };

type Added = {
  ingressAdded: Rule[];
  egressAdded: Rule[];
  targetAdded: { securityGroupId: string; rules: Rule[] }[];
  groupsAdded?: { securityGroupId: string; direction: Direction; rules: Rule[] }[];
};

export async function ensurePodGroupRules(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<Added>> {
  const { clusterGroupId } = requireOutput(context, 'planning');
  const groups = requireOutput(context, 'ensurePodSecurityGroup');
  const { spec } = context;
  const id = spec.requestId;
  if (spec.groups?.kind === 'existing') {
    const ids = policyGroupIds(groups);
    const groupsAdded: NonNullable<Added['groupsAdded']> = [];
    for (const groupId of ids) {
      const first = groupId === ids[0];
      const added = await ensureRules(ports, groupId, {
        ingress: [kubeletRule(clusterGroupId, id), ...(first ? (spec.extraIngress ?? []) : [])],
        ...(first && spec.egress.length > 0 ? { egress: spec.egress } : {}),
      });
      for (const direction of ['ingress', 'egress'] as const)
        if (added[direction].length > 0)
          groupsAdded.push({ securityGroupId: groupId, direction, rules: added[direction] });
    }
    const targetAdded = await admitInTargets(context, ports, ids[0]!);
    return { status: 'done', output: { ingressAdded: [], egressAdded: [], targetAdded, groupsAdded } };
  }
  const { podGroupId } = groups;
  const added = await ensureRules(ports, podGroupId, {
    ingress: [selfRule(podGroupId, id), kubeletRule(clusterGroupId, id), ...(spec.extraIngress ?? [])],
    egress: spec.egress,
  });
  const targetAdded = await admitInTargets(context, ports, podGroupId);
  return { status: 'done', output: { ingressAdded: added.ingress, egressAdded: added.egress, targetAdded } };
}

/** `allow … to sg-x`: sg-x admits the pods' group. */
async function admitInTargets(context: GrantContext, ports: StepPorts, peerGroupId: string) {
  const targetAdded: { securityGroupId: string; rules: Rule[] }[] = [];
  for (const target of context.spec.targetGroups ?? []) {
    const rules = target.rules.map((r) => ({ ...r, peer: { securityGroupId: peerGroupId } }));
    const { ingress } = await ensureRules(ports, target.securityGroupId, { ingress: rules });
    if (ingress.length > 0) targetAdded.push({ securityGroupId: target.securityGroupId, rules: ingress });
  }
  return targetAdded;
}
