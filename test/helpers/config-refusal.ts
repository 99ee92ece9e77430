import { AppError } from '../../src/errors.ts';

/** The AppError a configuration is refused with; fails the test when it is accepted. */
export function configRefusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}
