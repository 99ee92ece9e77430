import type { Said } from '../../../src/domain/words.ts';
import type { SerializedError } from '../../../src/errors.ts';

/** What a machine's context holds about its steps. */
export interface WorkContext<S extends string> {
  outputs: object;
  /** Attempt number per step; re-entering a step (wait, retry) increments it, so job ids stay unique. */
  attempts: Partial<Record<S, number>>;
  /** Free text of the last re-arm, e.g. "1/2 pods updated". */
  progress: Said | null;
  failedStep: S | null;
  error: SerializedError | null;
}

/** The bookkeeping of a request before its first step (fresh objects for each request). */
export const noWorkYet = () => ({
  outputs: {},
  attempts: {},
  progress: null,
  failedStep: null,
  error: null,
});
