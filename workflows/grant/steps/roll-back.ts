/**
 * `rollingBack`: undo, in reverse order, only what this request created or added — the policy it
 * created, the rules it added, the group it created — re-reading each before removing it.
 */
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { missingRules } from '../rules.ts';

export async function rollBack(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ undone: string[] }>> {
  const { spec, outputs } = context;
  const undone: string[] = [];
  if (outputs.applyPolicy?.created) {
    if (await ports.cluster.getSecurityGroupPolicy(spec.namespace, spec.policyName)) {
      await ports.cluster.deleteSecurityGroupPolicy(spec.namespace, spec.policyName);
      undone.push(`deleted SecurityGroupPolicy ${spec.namespace}/${spec.policyName}`);
    }
  }
  const podGroupId = outputs.ensurePodSecurityGroup?.podGroupId;
  const clusterGroupId = outputs.planning?.clusterGroupId;
  if (clusterGroupId && outputs.allowDns && outputs.allowDns.added.length > 0) {
    undone.push(...(await removeRules(ports, clusterGroupId, 'ingress', outputs.allowDns.added)));
  }
  if (podGroupId && outputs.ensurePodSecurityGroup?.created) {
    const { groups } = await ports.cloud
      .describeSecurityGroups({ ids: [podGroupId] })
      .catch(() => ({ groups: [] }));
    if (groups.length > 0) {
      await ports.cloud.deleteSecurityGroup(podGroupId);
      undone.push(`deleted security group ${podGroupId}`);
    }
  } else if (podGroupId && outputs.ensurePodGroupRules) {
    undone.push(
      ...(await removeRules(ports, podGroupId, 'ingress', outputs.ensurePodGroupRules.ingressAdded)),
    );
    undone.push(...(await removeRules(ports, podGroupId, 'egress', outputs.ensurePodGroupRules.egressAdded)));
  }
  return { status: 'done', output: { undone } };
}

async function removeRules(
  ports: StepPorts,
  groupId: string,
  direction: 'ingress' | 'egress',
  added: Rule[],
) {
  if (added.length === 0) return [];
  const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(groupId);
  const present = added.filter((r) => missingRules(ruleSet[direction], [r]).length === 0);
  if (present.length === 0) return [];
  await ports.cloud.deleteSecurityGroupPolicies({
    securityGroupId: groupId,
    direction,
    rules: present,
    version: ruleSet.version,
  });
  return [`removed ${present.length} ${direction} rule(s) from ${groupId}`];
}
