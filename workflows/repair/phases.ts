/** What each repair state means to people: approvers are waited for, the rest is sgops at work until it rests. */
import type { StatePhase } from '../workflow-module.ts';

export const repairPhases: Record<string, StatePhase> = {
  planning: 'working',
  awaitingApproval: 'waiting',
  done: 'ok',
  nothingToRepair: 'ok',
  failed: 'failed',
  denied: 'failed',
  expired: 'failed',
  cancelled: 'failed',
};
