/**
 * The bookkeeping every workflow machine does around its steps, written once: count an attempt,
 * keep a step's output, its progress or its failure, clear the failure on retry, and let only the
 * latest attempt of the step in progress move the machine. Each machine passes its own step names,
 * context and events, so the actions and guards stay typed to it.
 */
import type { Said } from '../../../src/domain/words.ts';
import { assign } from 'xstate';
import type { EventObject } from 'xstate';
import type { SerializedError } from '../../../src/errors.ts';
import type { WorkContext } from './work-context.ts';

/** What the step results the workers deliver (StepResultEvent) carry, read from any of the machine's events. */
type StepResultFields<S extends string> = EventObject & {
  step?: S;
  attempt?: number;
  output?: unknown;
  progress?: Said;
  error?: SerializedError;
};

export function stepActions<S extends string, C extends WorkContext<S>, E extends EventObject>() {
  // C extends WorkContext<S>, so a patch of those fields is a patch of C.
  const patch = (fields: Partial<WorkContext<S>>) => fields as Partial<C>;
  const result = (event: E) => event as StepResultFields<S>;
  return {
    bumpAttempt: assign<C, E, { step: S }, E, never>(({ context }, params) =>
      patch({ attempts: { ...context.attempts, [params.step]: (context.attempts[params.step] ?? 0) + 1 } }),
    ),
    storeOutput: assign<C, E, undefined, E, never>(({ context, event }) => {
      const { type, step, output } = result(event);
      return patch({
        outputs: type === 'step.done' && step ? { ...context.outputs, [step]: output } : context.outputs,
        progress: null,
      });
    }),
    recordProgress: assign<C, E, undefined, E, never>(({ event }) => {
      const { type, progress } = result(event);
      return patch({ progress: type === 'step.wait' ? (progress ?? null) : null });
    }),
    recordFailure: assign<C, E, undefined, E, never>(({ event }) => {
      const { type, step, error } = result(event);
      const failed = type === 'step.failed';
      return patch({ failedStep: failed ? (step ?? null) : null, error: failed ? (error ?? null) : null });
    }),
    clearFailure: assign<C, E, undefined, E, never>(() => patch({ failedStep: null, error: null })),
  };
}

export function stepGuards<S extends string, C extends WorkContext<S>, E extends EventObject>() {
  return {
    /** Only the latest attempt of the step in progress may move the workflow: stale job results are ignored. */
    isCurrent: ({ context, event }: { context: C; event: E }, params: { step: S }) => {
      const { step, attempt } = event as StepResultFields<S>;
      return step === params.step && attempt === (context.attempts[params.step] ?? 0);
    },
    failedAt: ({ context }: { context: C }, params: { step: S }) => context.failedStep === params.step,
  };
}
