/**
 * Effects the repair machine describes and the engine carries out (after the snapshot commits).
 * `stepStarted`, `failed` and `cancelled` are the common notices; the rest are the repair's own.
 */
import type { RepairStepName } from './types.ts';

export type RepairNotifyTemplate =
  | 'stepStarted'
  | 'failed'
  | 'cancelled'
  | 'repairPlanReady'
  | 'autoApproved'
  | 'approvalRequested'
  | 'approvalRecorded'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'nothingToRepair'
  | 'repaired';

export type RepairEffect =
  | { type: 'runStep'; step: RepairStepName; attempt: number; delayMs: number }
  | {
      type: 'notify';
      template: RepairNotifyTemplate;
      audience: 'requester' | 'approvers' | 'everyone';
      step?: RepairStepName;
    }
  | { type: 'scheduleTimer'; name: 'approvalTimeout'; delayMs: number }
  | { type: 'cancelTimer'; name: 'approvalTimeout' }
  /** The policy approved the repair (restore-only, `autoApproveRepairs`): an audited decision of sgops. */
  | { type: 'recordPolicyApproval'; grantRequestId: string };
