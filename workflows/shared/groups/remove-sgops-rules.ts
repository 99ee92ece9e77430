/**
 * Removes from one group the rules sgops wrote — for one request, or for any — optionally only
 * those whose peer is a given group. Groups named in `using` are the requester's: sgops takes back
 * exactly what it added there (its rules carry `sgops <request>:` in their description) and never a
 * rule that was there before. A group already gone has nothing left to remove.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { isSgopsRule } from '../rules/rule-label.ts';
import { peerGroupOf } from '../rules/rules.ts';
import { readGroup } from './read-group.ts';
import { removeRules } from './remove-rules.ts';

export interface RemovedRules {
  securityGroupId: string;
  direction: Direction;
  rules: Rule[];
}

export async function removeSgopsRules(
  ports: StepPorts,
  securityGroupId: string,
  match: { requestId?: string; peer?: readonly string[] },
): Promise<RemovedRules[]> {
  if (!(await readGroup(ports, securityGroupId))) return [];
  const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
  const wanted = (rule: Rule) =>
    isSgopsRule(rule, match.requestId) &&
    (match.peer === undefined || match.peer.includes(peerGroupOf(rule) ?? ''));
  const removed: RemovedRules[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = ruleSet[direction].filter(wanted).map(({ index: _index, ...rule }) => rule);
    if (rules.length === 0) continue;
    const gone = await removeRules(ports, securityGroupId, direction, rules);
    if (gone.length > 0) removed.push({ securityGroupId, direction, rules: gone });
  }
  return removed;
}
