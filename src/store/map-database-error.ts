/**
 * Turns the few database errors callers can act on into AppErrors. drizzle wraps driver errors
 * (pg and PGlite both carry the SQLSTATE in `code`), so the cause chain is searched.
 */
import { AppError, rootMessage } from '../errors.ts';
import { unreachableSocketCodes } from '../startup/wait-until-reachable.ts';

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

/** SQLSTATE classes of a lost or refused connection: 08 (connection exception), 57P01–57P03 (shutdown). */
const connectionLossStates = /^(08...|57P0[123])$/;

/**
 * Whether an error means the database could not be reached (as opposed to a statement it
 * refused): such an error is worth retrying once Postgres is back.
 */
export function isConnectionLoss(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionLossStates.test(code) || unreachableSocketCodes.has(code)))
      return true;
    // pg says so in words only: its own socket closing under a query.
    if (/^Connection terminated|^Client has encountered a connection error/.test(current.message))
      return true;
    current = current.cause;
  }
  return false;
}

/** A lost connection as the retryable DATABASE_UNAVAILABLE; any other error as it came. */
export function mapConnectionLoss(error: unknown): unknown {
  if (error instanceof AppError || !isConnectionLoss(error)) return error;
  return new AppError('DATABASE_UNAVAILABLE', `The database could not be reached: ${rootMessage(error)}`, {
    hint: 'sgops retries; check that Postgres is up and reachable (DATABASE_URL).',
    cause: error,
  });
}
