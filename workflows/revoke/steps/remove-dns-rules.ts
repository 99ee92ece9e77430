/**
 * `removeDnsRules`: take the cluster group's TCP/UDP 53 rules from the pod group away — only when
 * no other policy or pod still uses the pod group (those pods resolve names through these rules).
 */
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { StepPorts } from '../../grant/step-ports.ts';
import { dnsRules } from '../../grant/steps/allow-dns.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { groupUsers } from './group-users.ts';
import { removeRules } from './remove-rules.ts';
import { requireRevokeOutput } from './require-revoke-output.ts';

export async function removeDnsRules(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['removeDnsRules']>>> {
  const { spec } = context;
  const { clusterGroupId, podGroupId } = requireRevokeOutput(context, 'planning');
  if (!clusterGroupId || !podGroupId) return { status: 'done', output: { removed: [], kept: [] } };
  const users = await usersOf(context, ports, podGroupId);
  if (users.length > 0) return { status: 'done', output: { removed: [], kept: users } };
  const removed = await removeRules(ports, clusterGroupId, 'ingress', dnsRules(podGroupId, spec.requestId));
  return { status: 'done', output: { removed, kept: [] } };
}

/** Other users of the pod group now: the named policies (the app's own too, if it was kept) and pods. */
export function usersOf(context: RevokeContext, ports: StepPorts, podGroupId: string): Promise<string[]> {
  const { spec } = context;
  return groupUsers(ports, {
    namespace: spec.namespace,
    podGroupId,
    policyNames: [...(spec.otherPolicyNames ?? []), spec.policyName],
  });
}
