/** How the console draws a repair: its own step words, "Repaired" at its end. */
import type { WorkflowView } from '../workflow-module.ts';

export const repairView: WorkflowView = {
  labels: {
    planning: 'Compare with what was approved',
    awaitingApproval: 'Waiting for approval',
    restoreRules: 'Put back missing rules',
    reapplyPolicy: 'Re-apply the policy',
    recreatePods: 'Recreate pods without the group',
    verifying: 'Verify',
    done: 'Repaired',
    nothingToRepair: 'Nothing to repair',
    failed: 'A step failed',
    denied: 'Denied',
    expired: 'Expired',
    cancelled: 'Cancelled',
  },
  planOpen: (state) => state === 'planning' || state === 'awaitingApproval',
  facts: { signOffs: true },
};
