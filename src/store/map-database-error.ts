/**
 * Turns the few database errors callers can act on into AppErrors. drizzle wraps driver errors
 * (pg and PGlite both carry the SQLSTATE in `code`), so the cause chain is searched.
 */
import { AppError } from '../errors.ts';

const foreignKeyViolation = '23503';

export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

/** Runs a write that references a request; a missing request becomes REQUEST_NOT_FOUND. */
export async function referencingRequest<T>(
  requestIds: readonly string[],
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (sqlStateOf(error) !== foreignKeyViolation) throw error;
    throw new AppError('REQUEST_NOT_FOUND', `Request ${[...new Set(requestIds)].join(', ')} does not exist`, {
      details: { requestIds: [...new Set(requestIds)] },
      cause: error,
    });
  }
}
