/** What each revoke state means to people: nobody approves a revoke; it works until it rests. */
import type { StatePhase } from '../workflow-module.ts';

export const revokePhases: Record<string, StatePhase> = {
  done: 'ok',
  failed: 'failed',
  cancelled: 'failed',
};
