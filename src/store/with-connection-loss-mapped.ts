/**
 * Wraps every method of a store so that an error that means "the database could not be reached"
 * leaves it as the retryable DATABASE_UNAVAILABLE: a step or a chat line that met a Postgres restart
 * is retried instead of failing for good. Other errors pass through untouched.
 */
import { mapConnectionLoss } from './map-database-error.ts';

export function withConnectionLossMapped<T extends object>(target: T): T {
  const wrapped = { ...target } as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      try {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise
          ? result.catch((error: unknown) => {
              throw mapConnectionLoss(error);
            })
          : result;
      } catch (error) {
        throw mapConnectionLoss(error);
      }
    };
  }
  return wrapped as T;
}
