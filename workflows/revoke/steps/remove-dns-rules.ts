/**
 * `removeDnsRules`: take the cluster group's TCP/UDP 53 rules from the pod group away — only when
 * no other policy or pod still uses the pod group (those pods resolve names through these rules).
 * With `using`, the DNS rules sgops wrote for each named group go once nobody else uses that
 * group; a DNS rule that was there before any grant is not sgops' and stays.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { Rule } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { dnsRules } from '../../shared/rules/dns-rules.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { readGroupUsage } from '../../shared/groups/group-users.ts';
import type { GroupUsage } from '../../shared/groups/group-users.ts';
import { existingGroupIdsOf } from './pod-group-of.ts';
import { removeRules } from '../../shared/groups/remove-rules.ts';
import { removeSgopsRules } from '../../shared/groups/remove-sgops-rules.ts';
import { requireOutput } from '../../shared/require-output.ts';
import type { Words } from '../../../src/domain/words.ts';

export async function removeDnsRules(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['removeDnsRules']>>> {
  const { spec } = context;
  const { clusterGroupId, podGroupId } = requireOutput(context, 'planning');
  const existing = existingGroupIdsOf(spec);
  if (!clusterGroupId || (!podGroupId && existing.length === 0))
    return { status: 'done', output: { removed: [], kept: [] } };
  if (existing.length > 0) {
    const removed: Rule[] = [];
    const kept: Words[] = [];
    const usersOf = await usageOf(context, ports);
    for (const id of existing) {
      const users = usersOf(id);
      if (users.length > 0) {
        kept.push(...users);
        continue;
      }
      for (const r of await removeSgopsRules(ports, clusterGroupId, { peer: [id] })) removed.push(...r.rules);
    }
    return { status: 'done', output: { removed, kept } };
  }
  const users = (await usageOf(context, ports))(podGroupId!);
  if (users.length > 0) return { status: 'done', output: { removed: [], kept: users } };
  const removed = await removeRules(ports, clusterGroupId, 'ingress', dnsRules(podGroupId!, spec.requestId));
  return { status: 'done', output: { removed, kept: [] } };
}

/**
 * Other users of the groups now: every policy that names one (the target's own too, if it was
 * kept) and the pods that carry it — read once, asked for each group.
 */
export function usageOf(context: RevokeContext, ports: StepPorts): Promise<GroupUsage> {
  const { spec } = context;
  return readGroupUsage(ports, {
    namespace: spec.namespace,
    policyNames: [...(spec.otherPolicyNames ?? []), spec.policyName],
    everywhere: { except: [] },
  });
}
