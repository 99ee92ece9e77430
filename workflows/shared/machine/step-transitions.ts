/**
 * Transitions every workflow machine writes around its steps, as pure config: a step that fails,
 * a last step that ends the request, a request called off, and `retry` of the step that failed.
 */

/** The step failed: record why and tell `audience` (before approvers heard of it: the requester only). */
export function stepFailed<S extends string>(step: S, audience: 'requester' | 'everyone') {
  return {
    guard: { type: 'isCurrent' as const, params: { step } },
    target: 'failed' as const,
    actions: [
      'recordFailure' as const,
      { type: 'notify' as const, params: { template: 'failed' as const, audience } },
    ],
  };
}

/** The step is done and the request rests in `target`: everyone hears it with `template`. */
export function stepEnds<S extends string, T extends string, N extends string>(
  step: S,
  target: T,
  template: N,
) {
  return {
    guard: { type: 'isCurrent' as const, params: { step } },
    target,
    actions: [
      'storeOutput' as const,
      { type: 'notify' as const, params: { template, audience: 'everyone' as const } },
    ],
  };
}

/** Called off before anything was written: `audience` hears it. */
export function cancelRequest(audience: 'requester' | 'everyone') {
  return {
    target: 'cancelled' as const,
    actions: [
      'recordDecision' as const,
      { type: 'notify' as const, params: { template: 'cancelled' as const, audience } },
    ],
  };
}

/** `retry` in `failed`: back to whichever of `steps` failed, telling the requester it started again. */
export function retryFailedStep<S extends string>(steps: readonly S[]) {
  return steps.map((step) => ({
    guard: { type: 'failedAt' as const, params: { step } },
    target: step,
    actions: [
      'clearFailure' as const,
      {
        type: 'notify' as const,
        params: { template: 'stepStarted' as const, audience: 'requester' as const, step },
      },
    ],
  }));
}
