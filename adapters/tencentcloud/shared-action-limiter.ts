import { setTimeout as sleepFor } from 'node:timers/promises';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../src/errors.ts';
import { documentedRateLimits, fallbackRateLimit } from './documented-rate-limits.ts';

/**
 * Per-action call budgets per calendar second, shared by every process that uses the same Redis
 * and key prefix. A caller reserves a slot in the earliest second with room left (one Redis
 * counter per action and second, through rate-limiter-flexible) and sleeps until that second:
 * callers are served in reservation order, nobody polls, and a limit is never exceeded in any
 * second of the clock. A call issued in the last `edgeGuardMs` of a second may land in the next
 * one, so it goes at once only with a slot in both seconds (counted in each, so neither can be
 * over its limit whichever the cloud counts it in); otherwise it waits for a later second. (Until
 * issue 21 the edge was never used: a lone call there waited up to 100 ms for nothing.)
 */
export interface SharedActionLimiterOptions {
  /** An ioredis client (rate-limiter-flexible drives it; the caller owns and closes it). */
  storeClient: unknown;
  keyPrefix: string;
  /** Requests per second by action; others use the documented limits, then 20/s. */
  limits?: Record<string, number>;
  /** Longest wait for a slot before failing with a retryable CLOUD_THROTTLED; default 10 s. */
  maxWaitMs?: number;
  /** Default 100 ms. */
  edgeGuardMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SharedActionLimiter {
  /** Resolves when a call of `action` may be sent now. */
  acquire(action: string): Promise<void>;
  limitOf(action: string): number;
}

export function createSharedActionLimiter(options: SharedActionLimiterOptions): SharedActionLimiter {
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const edgeGuardMs = options.edgeGuardMs ?? 100;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const counters = new Map<string, RateLimiterRedis>();

  function limitOf(action: string): number {
    return options.limits?.[action] ?? documentedRateLimits[action] ?? fallbackRateLimit;
  }

  function counterOf(action: string): RateLimiterRedis {
    let counter = counters.get(action);
    if (!counter) {
      const points = limitOf(action);
      if (!(Number.isInteger(points) && points > 0)) {
        throw new AppError('CONFIG_INVALID', `The rate limit of ${action} must be a positive integer`, {
          details: { action, limit: points },
        });
      }
      counter = new RateLimiterRedis({
        storeClient: options.storeClient,
        keyPrefix: `${options.keyPrefix}:${action}`,
        points,
        duration: 2,
      });
      counters.set(action, counter);
    }
    return counter;
  }

  /** True when the slot was ours; false when that second is full. */
  async function take(action: string, second: number, at: number): Promise<boolean> {
    try {
      // The counter of a second lives until shortly after that second has passed.
      const customDuration = Math.ceil(((second + 1) * 1000 - at) / 1000) + 1;
      await counterOf(action).consume(String(second), 1, { customDuration });
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      if (error instanceof AppError) throw error;
      throw new AppError('NETWORK', `The shared rate limiter could not reach Redis for ${action}`, {
        cause: error,
        details: { action },
        hint: 'Check that the Redis of the cloud rate limiter is reachable from this host.',
      });
    }
  }

  async function acquire(action: string): Promise<void> {
    const started = now();
    for (;;) {
      const at = now();
      let second = Math.floor(at / 1000);
      if (at - second * 1000 >= 1000 - edgeGuardMs) {
        if ((await take(action, second, at)) && (await take(action, second + 1, at))) return;
        second += 1;
      }
      for (;;) {
        if (second * 1000 - started > maxWaitMs) {
          throw new AppError('CLOUD_THROTTLED', `No ${action} call slot within ${maxWaitMs} ms`, {
            details: { action, limitPerSecond: limitOf(action), maxWaitMs },
            hint: 'More Tencent Cloud calls are queued than the per-second limit lets through; retry later.',
          });
        }
        if (await take(action, second, at)) break;
        second += 1;
      }
      const wait = second * 1000 - now();
      if (wait > 0) await sleep(wait);
      // A late wake-up (a busy event loop) could send the call into the next second: start over.
      if (now() < second * 1000 + 1000 - edgeGuardMs) return;
    }
  }

  return { acquire, limitOf };
}
