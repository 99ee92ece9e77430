/** A step's input from an earlier step; its absence means a corrupted snapshot, not a user error. */
import { AppError } from '../../../src/errors.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';

export function requireRevokeOutput<K extends keyof RevokeStepOutputs>(
  context: RevokeContext,
  step: K,
): NonNullable<RevokeStepOutputs[K]> {
  const output = context.outputs[step];
  if (output === undefined) {
    throw new AppError('INTERNAL', `Request ${context.spec.requestId} has no result from ${step}.`);
  }
  return output as NonNullable<RevokeStepOutputs[K]>;
}
