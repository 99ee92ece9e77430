/** What a workflow step answers the engine: done with its output, or not there yet. */
import type { Said } from '../domain/words.ts';
export type StepResult<TOutput = unknown> =
  | { status: 'done'; output: TOutput }
  /** Not there yet (pods still rolling): the engine re-arms the step as a delayed job instead of blocking a worker. */
  | { status: 'wait'; delayMs: number; progress: Said };
