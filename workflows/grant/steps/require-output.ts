/** A step's input from an earlier step; its absence means a corrupted snapshot, not a user error. */
import { AppError } from '../../../src/errors.ts';
import type { GrantContext, StepOutputs } from '../types.ts';

export function requireOutput<K extends keyof StepOutputs>(
  context: GrantContext,
  step: K,
): NonNullable<StepOutputs[K]> {
  const output = context.outputs[step];
  if (output === undefined) {
    throw new AppError('INTERNAL', `Request ${context.spec.requestId} has no result from ${step}.`);
  }
  return output as NonNullable<StepOutputs[K]>;
}
