/** How the console draws a grant: words under its states, and what only its context tells. */
import type { WorkflowView } from '../workflow-module.ts';
import type { GrantContext } from './types.ts';

export const grantView: WorkflowView = {
  labels: {
    planning: 'Look and plan',
    awaitingApproval: 'Wait for approval',
    ensurePodSecurityGroup: 'Pod security group',
    allowDns: 'Allow DNS (53) in cluster group',
    ensurePodGroupRules: 'Pod group rules',
    applyPolicy: 'SecurityGroupPolicy',
    recreatePods: 'Recreate pods',
    verifying: 'Verify pods',
    done: 'Granted',
    needsAttention: 'Pods lack the group',
    failed: 'A step failed',
    rollingBack: 'Undoing changes',
    rolledBack: 'Undone',
    denied: 'Denied',
    expired: 'No approval in time',
    cancelled: 'Cancelled',
  },
  /**
   * Verification that found pods lacking the group failed there; an approval nobody gave was
   * skipped, and one that was given is done wherever the grant ended (an approval has no output, so
   * a grant that ended off the main road, revoked or lapsed, would otherwise show it skipped).
   */
  adjustStatuses(statuses, state, context: Partial<GrantContext>) {
    const out = { ...statuses };
    const approved = Boolean(context.approvedAt) || (context.approvals ?? []).length > 0;
    if (state === 'needsAttention' && out['verifying'] === 'done') out['verifying'] = 'failed';
    if (out['awaitingApproval'] === 'done' && !approved) out['awaitingApproval'] = 'skipped';
    if (out['awaitingApproval'] === 'skipped' && approved) out['awaitingApproval'] = 'done';
    return out;
  },
  planOpen: (state) => state === 'planning' || state === 'awaitingApproval',
  // Its sign-off sets, the pod group it attaches, and the verification of every pod at its end.
  facts: { signOffs: true, verification: true, podGroup: true },
};
