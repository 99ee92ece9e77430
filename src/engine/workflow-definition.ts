/** What the engine needs to know about a workflow: its pure machine and the version its snapshots carry. */
import type { AnyStateMachine } from 'xstate';

export interface WorkflowDefinition {
  name: string;
  machine: AnyStateMachine;
  version: number;
}

export type StepResult<TOutput = unknown> =
  | { status: 'done'; output: TOutput }
  /** Not there yet (pods still rolling): the engine re-arms the step as a delayed job instead of blocking a worker. */
  | { status: 'wait'; delayMs: number; progress: string };
