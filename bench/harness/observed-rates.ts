/**
 * What the stand-ins saw of a bulk run (bulk, expiry): calls per action, each action's busiest
 * second, the RequestLimitExceeded answers sgops audited, and the bound the documented limits
 * allow for the calls one unit (a grant, a revoke) made.
 */
import {
  documentedRateLimits,
  fallbackRateLimit,
} from '../../adapters/tencentcloud/documented-rate-limits.ts';
import { peakPerSecond, rateBound } from './rate-bound.ts';
import type { RateBound } from './rate-bound.ts';
import type { SchemaReader } from './schema-reader.ts';
import type { StandIns } from './stand-ins.ts';
import { sum } from './sum.ts';

export const limitOf = (action: string): number => documentedRateLimits[action] ?? fallbackRateLimit;
export const isRead = (action: string): boolean => action.startsWith('Describe');

export interface ObservedRates {
  calls: Awaited<ReturnType<StandIns['calls']>>;
  peaks: Record<string, number>;
  throttled: Awaited<ReturnType<SchemaReader['throttled']>>;
  bound: RateBound;
  readsPerUnit: number;
}

export async function observedRates(
  standIns: Pick<StandIns, 'calls' | 'cloudCallsPerSecond'>,
  reader: Pick<SchemaReader, 'throttled'>,
  units: number,
): Promise<ObservedRates> {
  const calls = await standIns.calls();
  const peaks = peakPerSecond(await standIns.cloudCallsPerSecond());
  const throttled = await reader.throttled();
  const reads = sum(
    Object.entries(calls.cloud)
      .filter(([a]) => isRead(a))
      .map(([, n]) => n),
  );
  return {
    calls,
    peaks,
    throttled,
    bound: rateBound(calls.cloud, units, limitOf),
    readsPerUnit: reads / Math.max(1, units),
  };
}
