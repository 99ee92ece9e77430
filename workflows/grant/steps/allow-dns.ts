/**
 * `allowDns` (seed 1c): the cluster group admits TCP and UDP 53 from the pod group — or from each
 * group named in `using` — so pods can reach CoreDNS. Rules already there are left alone.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { fromGroup, ruleLabel } from '../rules.ts';
import { ensureRules } from './ensure-rules.ts';
import { policyGroupIds } from './find-pod-group.ts';
import { requireOutput } from './require-output.ts';

export const dnsRules = (podGroupId: string, requestId: string): Rule[] => [
  fromGroup(podGroupId, 'UDP', '53', `${ruleLabel(requestId)}: DNS from pods`),
  fromGroup(podGroupId, 'TCP', '53', `${ruleLabel(requestId)}: DNS from pods`),
];

export async function allowDns(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ added: Rule[] }>> {
  const { clusterGroupId } = requireOutput(context, 'planning');
  const groupIds = policyGroupIds(requireOutput(context, 'ensurePodSecurityGroup'));
  const { ingress } = await ensureRules(ports, clusterGroupId, {
    ingress: groupIds.flatMap((id) => dnsRules(id, context.spec.requestId)),
  });
  return { status: 'done', output: { added: ingress } };
}
