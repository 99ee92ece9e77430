/** Events the grant machine accepts. Every event carries who/when from outside: the machine never reads a clock. */
import type { SerializedError } from '../../src/errors.ts';
import type { StepName, StepOutputs } from './types.ts';

export type StepDoneEvent = {
  [K in StepName]: { type: 'step.done'; step: K; attempt: number; output: NonNullable<StepOutputs[K]> };
}[StepName];

export type GrantEvent =
  | StepDoneEvent
  | { type: 'step.wait'; step: StepName; attempt: number; delayMs: number; progress: string }
  | { type: 'step.failed'; step: StepName; attempt: number; error: SerializedError }
  | { type: 'approve'; by: string; at: string; comment?: string }
  | { type: 'deny'; by: string; at: string; reason: string }
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string }
  | { type: 'rollback'; by: string; at: string }
  | { type: 'timer.approvalTimeout' };
