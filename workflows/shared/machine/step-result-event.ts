/**
 * The step results the workers deliver to any workflow machine, typed by its step names and the
 * output of each step. The workers stamp each with `at`, when they deliver it.
 */
import type { Said } from '../../../src/domain/words.ts';
import type { SerializedError } from '../../../src/errors.ts';

export type StepResultEvent<S extends string, O extends { [K in S]?: unknown }> =
  | {
      [K in S]: { type: 'step.done'; step: K; attempt: number; output: NonNullable<O[K]>; at?: string };
    }[S]
  | { type: 'step.wait'; step: S; attempt: number; delayMs: number; progress: Said; at?: string }
  | { type: 'step.failed'; step: S; attempt: number; error: SerializedError; at?: string };
