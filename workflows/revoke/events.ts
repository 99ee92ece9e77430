/** Events the revoke machine accepts. Every event carries who/when from outside: the machine never reads a clock. */
import type { StepResultEvent } from '../shared/machine/step-result-event.ts';
import type { RevokeStepName, RevokeStepOutputs } from './types.ts';

export type RevokeEvent =
  | StepResultEvent<RevokeStepName, RevokeStepOutputs>
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string };
