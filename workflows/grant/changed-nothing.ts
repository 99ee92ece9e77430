/**
 * Whether a finished grant wrote nothing: every step found its part already in place (a re-grant
 * of what an earlier grant left). Its done message then says so.
 */
import type { StepOutputs } from './types.ts';

export function changedNothing(outputs: StepOutputs): boolean {
  const {
    ensurePodSecurityGroup: group,
    allowDns,
    ensurePodGroupRules: rules,
    applyPolicy,
    recreatePods,
  } = outputs;
  if (!group || !allowDns || !rules || !applyPolicy || !recreatePods) return false;
  return (
    !group.created &&
    allowDns.added.length === 0 &&
    rules.ingressAdded.length === 0 &&
    rules.egressAdded.length === 0 &&
    (rules.targetAdded ?? []).every((t) => t.rules.length === 0) &&
    (rules.groupsAdded ?? []).every((g) => g.rules.length === 0) &&
    !applyPolicy.created &&
    !applyPolicy.updated &&
    !applyPolicy.serviceAccountLabelled &&
    recreatePods.restarted.length === 0
  );
}
