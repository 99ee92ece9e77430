/**
 * Effects the revoke machine describes and the engine carries out (after the snapshot commits).
 * `stepStarted` and `failed` are the grant's templates; `revokePlanned` and `revoked` are the revoke's own.
 */
import type { RevokeStepName } from './types.ts';

export type RevokeNotifyTemplate = 'revokePlanned' | 'stepStarted' | 'revoked' | 'failed' | 'cancelled';

export type RevokeEffect =
  | { type: 'runStep'; step: RevokeStepName; attempt: number; delayMs: number }
  | {
      type: 'notify';
      template: RevokeNotifyTemplate;
      audience: 'requester' | 'approvers' | 'everyone';
      step?: RevokeStepName;
    };
