import { Redis, type RedisOptions } from 'ioredis';
import { cloudActions, type CloudNetwork } from '../../src/ports/cloud-network.ts';
import { sdkActionsOf } from './sdk-actions-of.ts';
import { createSharedActionLimiter } from './shared-action-limiter.ts';

/**
 * A CloudNetwork that waits for a slot under each Tencent Cloud action's requests/second before
 * calling `inner`, with the budget shared through Redis by every process using the same
 * `keyPrefix` (see shared-action-limiter.ts). It never fails for a limit it could wait out; past
 * `maxWaitMs` it fails with a retryable CLOUD_THROTTLED and `inner` is not called.
 */
export interface RateLimitedCloudNetworkOptions {
  /** `{ host, port, password?, db? }` or any ioredis options. */
  redis: RedisOptions;
  /** Shared by the processes that share one account's budget, e.g. `sgops:tc-limits:<account>`. */
  keyPrefix: string;
  /** Requests per second by action (e.g. `{ DescribeSecurityGroups: 50 }`); default the documented ones. */
  limits?: Record<string, number>;
  /** Default 10 000. */
  maxWaitMs?: number;
  /** Unused tail of each second; default 100 ms. */
  edgeGuardMs?: number;
  now?: () => number;
}

export type RateLimitedCloudNetwork = CloudNetwork & { close(): Promise<void> };

export function createRateLimitedCloudNetwork(
  inner: CloudNetwork,
  options: RateLimitedCloudNetworkOptions,
): RateLimitedCloudNetwork {
  // Few retries per command: a lost Redis should fail calls soon, not stall them for minutes.
  const redis = new Redis({ maxRetriesPerRequest: 2, ...options.redis });
  // Connection trouble reaches callers as a NETWORK error of the call it blocks; no stray logging.
  redis.on('error', () => undefined);
  const limiter = createSharedActionLimiter({
    storeClient: redis,
    keyPrefix: options.keyPrefix,
    limits: options.limits,
    maxWaitMs: options.maxWaitMs,
    edgeGuardMs: options.edgeGuardMs,
    now: options.now,
  });

  const wrapped: Record<string, unknown> = {};
  for (const method of Object.keys(cloudActions) as (keyof CloudNetwork)[]) {
    wrapped[method] = async (...args: unknown[]) => {
      for (const action of sdkActionsOf(method)) await limiter.acquire(action);
      const call = inner[method] as (...a: unknown[]) => Promise<unknown>;
      return call.apply(inner, args);
    };
  }
  return Object.assign(wrapped as unknown as CloudNetwork, {
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}
