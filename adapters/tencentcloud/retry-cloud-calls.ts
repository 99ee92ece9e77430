/**
 * Retries single Tencent Cloud calls with exponential backoff and full jitter. Reads are retried on
 * any retryable error; writes only when the cloud refused them before acting (RequestLimitExceeded),
 * because a write that got no definite answer (CLOUD_OUTCOME_UNKNOWN: HTTP 5xx, timeout, cut
 * connection) or hit InternalError may have happened — the step re-runs instead, and re-reads
 * before it writes again. Wrap it OUTSIDE the audit decorator, so every attempt is audited.
 */
import { isAppError } from '../../src/errors.ts';
import { cloudActions, cloudWriteActions, type CloudNetwork } from '../../src/ports/cloud-network.ts';

export interface RetryOptions {
  /** Attempts per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function retryCloudCalls(inner: CloudNetwork, options: RetryOptions): CloudNetwork {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const wrapped: Record<string, unknown> = {};
  for (const method of Object.keys(cloudActions) as (keyof CloudNetwork)[]) {
    const write = cloudWriteActions.has(cloudActions[method]);
    wrapped[method] = async (...args: unknown[]) => {
      const call = inner[method] as (...a: unknown[]) => Promise<unknown>;
      for (let attempt = 1; ; attempt++) {
        try {
          return await call.apply(inner, args);
        } catch (error) {
          const again =
            attempt < options.attempts &&
            isAppError(error) &&
            error.retryable &&
            (!write || error.code === 'CLOUD_THROTTLED');
          if (!again) throw error;
          const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
          await sleep(Math.round(random() * cap));
        }
      }
    };
  }
  return wrapped as unknown as CloudNetwork;
}
