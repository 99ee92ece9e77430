/** A step's input from an earlier step; its absence means a corrupted snapshot, not a user error. */
import { AppError } from '../../src/errors.ts';

export function requireOutput<O extends object, K extends keyof O & string>(
  context: { spec: { requestId: string }; outputs: O },
  step: K,
): NonNullable<O[K]> {
  const output = context.outputs[step];
  if (output === undefined) {
    throw new AppError('INTERNAL', `Request ${context.spec.requestId} has no result from ${step}.`);
  }
  return output as NonNullable<O[K]>;
}
