/**
 * `allowDns` (seed 1c): the cluster group admits TCP and UDP 53 from the pod group — or from each
 * group named in `using` — so pods can reach CoreDNS. Rules already there are left alone.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { GrantContext } from '../types.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { ensureRules } from '../../shared/groups/ensure-rules.ts';
import { policyGroupIds } from '../../shared/groups/find-pod-group.ts';
import { requireOutput } from '../../shared/require-output.ts';

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
