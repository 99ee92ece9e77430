/** What a workflow brings to the registry: what the engine needs, and the steps its states run. */
import type { StepResult } from '../src/ports/step-result.ts';
import type { WorkflowDefinition } from '../src/ports/workflow-definition.ts';
import type { PlanningPorts } from './shared/step-ports.ts';

export type AnyStep = (context: never) => Promise<StepResult>;

export interface WorkflowModule extends WorkflowDefinition {
  /** The step of each state that runs one, over the audited ports of one step job. */
  steps(ports: PlanningPorts): Record<string, AnyStep>;
}
