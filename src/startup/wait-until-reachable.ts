/**
 * Tries to reach a dependency (Postgres, Redis) until it answers, waiting with backoff (0.5 s
 * doubling to 5 s) for as long as the failure is an outage: a replica started while a dependency
 * is down comes up when it is back, instead of exiting. Any other refusal (a wrong password, an
 * unknown database) fails at once, since waiting would not mend it.
 */
/** Node's socket errors that mean "not reachable now": refused, cut, timed out, no route, no name yet. */
export const unreachableSocketCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export interface Waiting {
  error: Error;
  attempt: number;
  retryInMs: number;
}

export interface WaitOptions {
  /** Whether the error means "not reachable now" (worth waiting for). */
  isOutage: (error: unknown) => boolean;
  /** Told before each wait, so the log and /readyz can say what the replica waits for. */
  onWaiting?: (waiting: Waiting) => void;
  /** Longest pause between two tries (default 5 s). */
  maxDelayMs?: number;
  /** Stop waiting after this long and throw the last error (default: wait for as long as it takes). */
  giveUpAfterMs?: number;
}

export async function waitUntilReachable<T>(tryOnce: () => Promise<T>, options: WaitOptions): Promise<T> {
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? Infinity);
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryOnce();
    } catch (error) {
      if (!options.isOutage(error) || Date.now() >= giveUpAt) throw error;
      // Never past the patience: the last try comes when it runs out.
      const retryInMs = Math.max(0, Math.min(500 * 2 ** (attempt - 1), maxDelayMs, giveUpAt - Date.now()));
      options.onWaiting?.({
        error: error instanceof Error ? error : new Error(String(error)),
        attempt,
        retryInMs,
      });
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}
