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
  | 'rolledBack'
  | 'approvalReminder'
  | 'expiryWarning'
  | 'grantExpired'
  | 'grantLapsed'
  | 'driftFound'
  | 'driftCleared';

/**
 * Delayed events the grant arms. A timer that repeats (the reminder) carries `seq`, so each
 * occurrence has a job id of its own: the next one is armed while the current one still runs.
 */
export type TimerName = 'approvalTimeout' | 'approvalReminder' | 'expiryWarning' | 'grantExpiry';

export type Effect =
  | { type: 'runStep'; step: StepName; attempt: number; delayMs: number }
  | { type: 'notify'; template: NotifyTemplate; audience: 'requester' | 'approvers' | 'everyone' }
  | { type: 'scheduleTimer'; name: TimerName; delayMs: number; seq?: number }
  | { type: 'cancelTimer'; name: TimerName; seq?: number }
  /**
   * A time-bound grant ran out: sgops opens the revoke `revokeRequestId` itself (an id derived from
   * the grant's, so doing this twice opens one revoke), asked at the grant's end.
   */
  | { type: 'openRevoke'; revokeRequestId: string; reason: string; requestedAt: string };
