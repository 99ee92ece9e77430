/** What each grant state means to people: approvers are waited for, the rest is sgops at work until it rests. */
import type { StatePhase } from '../workflow-module.ts';

export const grantPhases: Record<string, StatePhase> = {
  planning: 'working',
  awaitingApproval: 'waiting',
  // A time-bound grant in force is at rest until it expires; ended by its revoke or covered by another grant.
  done: 'ok',
  active: 'ok',
  revoked: 'ok',
  lapsed: 'ok',
  planned: 'ok',
  needsAttention: 'failed',
  failed: 'failed',
  rolledBack: 'failed',
  denied: 'failed',
  expired: 'failed',
  cancelled: 'failed',
};
