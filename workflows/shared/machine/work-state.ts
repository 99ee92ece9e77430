/**
 * The shape every work state of every workflow shares: run the step on entry (counting attempts),
 * re-arm on `step.wait`, move on — announcing the next step — on `step.done`, fail on `step.failed`.
 * Only the latest attempt of the step moves the machine. Pure config: no xstate, no clock.
 */
import { stepFailed } from './step-transitions.ts';

export interface StepContext<S extends string> {
  attempts: Partial<Record<S, number>>;
}

export type StepEvent = { type: string; delayMs?: number };

export function runStepParams<S extends string>(step: S, context: StepContext<S>, event: StepEvent) {
  return {
    type: 'runStep' as const,
    step,
    attempt: context.attempts[step] ?? 0,
    delayMs: event.type === 'step.wait' ? (event.delayMs ?? 0) : 0,
  };
}

/** The step after `step` in `order`, or null after the last. */
export function nextIn<S extends string>(order: readonly S[], step: string): S | null {
  const i = (order as readonly string[]).indexOf(step);
  return i >= 0 && i < order.length - 1 ? (order[i + 1] ?? null) : null;
}

export function workState<S extends string, C extends StepContext<S>, E extends StepEvent>(
  step: S,
  next: S | null,
) {
  return {
    entry: [
      { type: 'bumpAttempt' as const, params: { step } },
      {
        type: 'runStep' as const,
        params: ({ context, event }: { context: C; event: E }) => runStepParams(step, context, event),
      },
    ],
    on: {
      'step.done': {
        guard: { type: 'isCurrent' as const, params: { step } },
        target: next ?? step,
        actions: [
          'storeOutput' as const,
          ...(next
            ? [
                {
                  type: 'notify' as const,
                  params: { template: 'stepStarted' as const, audience: 'requester' as const, step: next },
                },
              ]
            : []),
        ],
      },
      'step.wait': {
        guard: { type: 'isCurrent' as const, params: { step } },
        target: step,
        reenter: true,
        actions: 'recordProgress' as const,
      },
      'step.failed': stepFailed(step, 'everyone'),
    },
  };
}
