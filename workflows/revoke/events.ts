/** Events the revoke machine accepts. Every event carries who/when from outside: the machine never reads a clock. */
import type { SerializedError } from '../../src/errors.ts';
import type { RevokeStepName, RevokeStepOutputs } from './types.ts';

export type RevokeStepDoneEvent = {
  [K in RevokeStepName]: {
    type: 'step.done';
    step: K;
    attempt: number;
    output: NonNullable<RevokeStepOutputs[K]>;
  };
}[RevokeStepName];

export type RevokeEvent =
  | RevokeStepDoneEvent
  | { type: 'step.wait'; step: RevokeStepName; attempt: number; delayMs: number; progress: string }
  | { type: 'step.failed'; step: RevokeStepName; attempt: number; error: SerializedError }
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string };
