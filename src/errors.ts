/**
 * One error model for all of sgops. Vendor errors are mapped to these codes once, in the
 * adapters; everything else branches on `code` and `retryable`, never on message text.
 */
export const errorCodes = {
  // input and permission
  COMMAND_INVALID: { retryable: false },
  NOT_AUTHORISED: { retryable: false },
  SELF_APPROVAL: { retryable: false },
  REQUEST_NOT_FOUND: { retryable: false },
  STATE_CONFLICT: { retryable: false },
  /** The same work is already asked for and still open (a second repair of one grant): decide that one. */
  ALREADY_OPEN: { retryable: false },
  CONFIG_INVALID: { retryable: false },
  /** A request would touch a security group that no one in the policy owns. */
  GROUP_NOT_OWNED: { retryable: false },
  // preconditions of the seed procedure (restrictions, add-on, super nodes)
  PRECONDITION_FAILED: { retryable: false },
  // Tencent Cloud
  CLOUD_THROTTLED: { retryable: true },
  CLOUD_INTERNAL: { retryable: true },
  CLOUD_AUTH: { retryable: false },
  CLOUD_INVALID: { retryable: false },
  CLOUD_NOT_FOUND: { retryable: false },
  CLOUD_QUOTA: { retryable: false },
  CLOUD_IN_USE: { retryable: false },
  CLOUD_VERSION_MISMATCH: { retryable: true },
  CLOUD_DUPLICATE_RULE: { retryable: false },
  /**
   * A write got no answer that says what happened (HTTP 5xx, a timeout, a cut connection): it may
   * have been applied. Never retried as a call; the step runs again and reads before it writes.
   */
  CLOUD_OUTCOME_UNKNOWN: { retryable: true },
  /** Other writes into the same security group held its turn too long, or the worker is stopping. */
  GROUP_WRITE_BUSY: { retryable: true },
  // the database
  /** The connection to Postgres was lost or refused (a restart, a failover): try again shortly. */
  DATABASE_UNAVAILABLE: { retryable: true },
  // Kubernetes
  K8S_NOT_FOUND: { retryable: false },
  K8S_CONFLICT: { retryable: true },
  K8S_INVALID: { retryable: false },
  K8S_FORBIDDEN: { retryable: false },
  K8S_UNAVAILABLE: { retryable: true },
  /** A rollout hit its progress deadline: waiting longer will not help. */
  ROLLOUT_STALLED: { retryable: false },
  // transport
  NETWORK: { retryable: true },
  TIMEOUT: { retryable: true },
  // the engine
  /**
   * This replica is stopping: a step's next call is not started, and its job goes back to the queue for
   * another replica. Not retried here; the step runs again, from its reads, where it is taken up.
   */
  HANDED_BACK: { retryable: false },
  // the host: a state file sgops cannot keep from other users
  FILE_NOT_PRIVATE: { retryable: false },
  // machine snapshots from an unknown version
  SNAPSHOT_VERSION: { retryable: false },
  INTERNAL: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  /** What an operator or user should do about it; shown next to the message. */
  hint?: string;
  /** Structured facts (vendor code, cloud RequestId, HTTP status); never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Overrides the code's default, e.g. a 5xx that is known to be permanent. */
  retryable?: boolean;
  /**
   * The message and hint in 中文, for errors a person reads in chat: each reader gets one language.
   * Without it a 中文 reader is shown the code and the message as quoted text.
   */
  zh?: LocalisedError;
}

export interface LocalisedError {
  message: string;
  hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;
  readonly zh: LocalisedError | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.zh = options.zh;
  }

  /** A plain, JSON-safe form for snapshots, audit rows and chat replies. */
  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
      ...(this.zh === undefined ? {} : { zh: this.zh }),
    };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  hint?: string;
  details?: Record<string, unknown>;
  zh?: LocalisedError;
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Anything thrown becomes an AppError; unknown throwables are INTERNAL and not retried. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message, { cause: error });
}

/**
 * The innermost message of an error's cause chain: a driver's "connect ECONNREFUSED 10.0.0.5:5432"
 * rather than the wrapper's "Failed query: select …", for whoever reads a log line or /readyz.
 */
export function rootMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = current instanceof Error ? current.cause : undefined;
    if (!(cause instanceof Error) || !cause.message) break;
    current = cause;
  }
  return current instanceof Error ? current.message : String(current);
}
