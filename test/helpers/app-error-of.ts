import { AppError } from '../../src/errors.ts';

/** The AppError `promise` rejects with; fails the test when it succeeds or fails with anything else. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected it to fail, and it succeeded');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
