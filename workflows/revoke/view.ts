/** How the console draws a revoke: its own step words, "Revoked" at its end. */
import type { WorkflowView } from '../workflow-module.ts';

export const revokeView: WorkflowView = {
  labels: {
    planning: 'Look and plan',
    removePolicy: 'Remove the SecurityGroupPolicy',
    recreatePods: 'Recreate pods',
    removeDnsRules: 'Remove DNS (53) rules',
    removePodGroup: 'Delete the pod group',
    done: 'Revoked',
    failed: 'A step failed',
    cancelled: 'Cancelled',
  },
  planOpen: (state) => state === 'planning',
};
