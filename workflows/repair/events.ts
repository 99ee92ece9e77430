/** Events the repair machine accepts. Every event carries who/when from outside: the machine never reads a clock. */
import type { StepResultEvent } from '../shared/machine/step-result-event.ts';
import type { RepairStepName, RepairStepOutputs } from './types.ts';

export type RepairEvent =
  | StepResultEvent<RepairStepName, RepairStepOutputs>
  /** `as`: the sign-off sets the approver counts for (the policy decides); a repair asks the namespace's. */
  | { type: 'approve'; by: string; at: string; comment?: string; as?: string[] }
  | { type: 'deny'; by: string; at: string; reason: string }
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string }
  | { type: 'timer.approvalTimeout'; at?: string };
