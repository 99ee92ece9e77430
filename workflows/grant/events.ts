/**
 * Events the grant machine accepts. Every event carries who/when from outside: the machine never
 * reads a clock. The workers stamp step results and timers with `at`, when they deliver them.
 */
import type { SerializedError } from '../../src/errors.ts';
import type { StepName, StepOutputs } from './types.ts';

export type StepDoneEvent = {
  [K in StepName]: {
    type: 'step.done';
    step: K;
    attempt: number;
    output: NonNullable<StepOutputs[K]>;
    at?: string;
  };
}[StepName];

export type GrantEvent =
  | StepDoneEvent
  | { type: 'step.wait'; step: StepName; attempt: number; delayMs: number; progress: string; at?: string }
  | { type: 'step.failed'; step: StepName; attempt: number; error: SerializedError; at?: string }
  /** `as`: the sign-off sets the approver counts for (the policy decides, at the decision); absent: the namespace. */
  | { type: 'approve'; by: string; at: string; comment?: string; as?: string[] }
  | { type: 'deny'; by: string; at: string; reason: string }
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string }
  | { type: 'rollback'; by: string; at: string }
  | { type: 'timer.approvalTimeout'; at?: string }
  | { type: 'timer.approvalReminder'; seq?: number; at?: string }
  | { type: 'timer.expiryWarning'; at?: string }
  | { type: 'timer.grantExpiry'; at?: string }
  /** A revoke of this grant's access was opened (by a person, or by sgops at expiry): the grant ends. */
  | { type: 'revoke'; revokeRequestId: string; by: string; at: string }
  /** At its end, another live grant (`coveredBy`) still gives the same access: nothing is revoked. */
  | { type: 'lapse'; coveredBy: string; at: string };
