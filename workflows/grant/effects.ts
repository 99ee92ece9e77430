/**
 * Effects the grant machine describes and the engine carries out (after the snapshot commits).
 * They are the machine's entry actions, returned — not executed — by xstate's pure transition().
 */
import type { StepName } from './types.ts';

export type NotifyTemplate =
  | 'planReady'
  | 'planned'
  | 'autoApproved'
  | 'approvalRequested'
  | 'approvalRecorded'
  | 'approved'
  | 'stepStarted'
  | 'done'
  | 'needsAttention'
  | 'failed'
  | 'denied'
  | 'expired'
  | 'cancelled'
  | 'rolledBack';

export type Effect =
  | { type: 'runStep'; step: StepName; attempt: number; delayMs: number }
  | { type: 'notify'; template: NotifyTemplate; audience: 'requester' | 'approvers' | 'everyone' }
  | { type: 'scheduleTimer'; name: 'approvalTimeout'; delayMs: number }
  | { type: 'cancelTimer'; name: 'approvalTimeout' };
