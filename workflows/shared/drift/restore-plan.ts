/**
 * What a repair writes to bring back what was approved: exactly the missing rules (as the grant
 * wrote them, with its description), the policy when it is gone or changed, the account's label,
 * and the pods that run without the group. Never anything for a rule added outside sgops: those
 * are a person's to judge, and the plan lists them as left in place.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import { peerGroupOf } from '../rules/rules.ts';
import type { ApprovedState } from './approved-state.ts';
import type { DriftItem, RuleAdded } from './drift-item.ts';

export interface RestorePlan {
  /** Per group and direction, in the order the drift was found. */
  rules: { groupId: string; direction: Direction; rules: Rule[] }[];
  /** Create or replace the SecurityGroupPolicy as approved (it is gone, or its selector or groups changed). */
  applyPolicy: boolean;
  /** Put the selector label back on the service account (approved.serviceAccountLabel). */
  labelServiceAccount: boolean;
  /** Only the pods that run without the group (their workloads restarted, never a bulk delete). */
  recreatePods: string[];
  /** Reported, not touched. */
  leftInPlace: RuleAdded[];
  /**
   * Groups that no longer exist: no rule write brings a group back (that takes a new grant), so
   * neither rules in them nor rules naming them as peer are planned.
   */
  groupsGone: string[];
}

export function restorePlan(approved: ApprovedState, items: readonly DriftItem[]): RestorePlan {
  const groupsGone = items.flatMap((i) => (i.kind === 'groupMissing' ? [i.groupId] : []));
  const gone = new Set(groupsGone);
  const rules: RestorePlan['rules'] = [];
  for (const item of items) {
    if (item.kind !== 'ruleMissing' || gone.has(item.groupId)) continue;
    const peer = peerGroupOf(item.rule);
    if (peer !== null && gone.has(peer)) continue;
    const entry = rules.find((r) => r.groupId === item.groupId && r.direction === item.direction);
    if (entry) entry.rules.push(item.rule);
    else rules.push({ groupId: item.groupId, direction: item.direction, rules: [item.rule] });
  }
  const policyGroupGone = approved.policy.groupIds.some((id) => gone.has(id));
  return {
    rules,
    // A policy naming a group that is gone would attach nothing: that takes a new grant, not a repair.
    applyPolicy:
      !policyGroupGone && items.some((i) => i.kind === 'policyMissing' || i.kind === 'policyChanged'),
    labelServiceAccount:
      approved.serviceAccountLabel !== null && items.some((i) => i.kind === 'labelMissing' && !i.accountGone),
    recreatePods: policyGroupGone
      ? []
      : [...new Set(items.flatMap((i) => (i.kind === 'podWithoutGroup' ? [i.pod] : [])))],
    leftInPlace: items.filter((i): i is RuleAdded => i.kind === 'ruleAdded'),
    groupsGone,
  };
}
