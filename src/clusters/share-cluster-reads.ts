/**
 * Shares the cloud reads that repeat across the grants of one cluster — the cluster, its add-on,
 * its super nodes and the account's quotas — for `ttlMs` after each answer. Bulk work (a namespace
 * of apps onboarded at once, a minute of expiries) otherwise spends the TKE actions' 20/s on
 * asking the same four questions again and again. Concurrent askers share one call in flight.
 *
 * Placed outside the audit decorator: every call that is made is audited (under the step that
 * made it); an answer shared from the cache is no call and leaves no row. Errors are never kept.
 * Security groups and their rules are not shared: they are what grants change.
 */
import { cloudActions, type CloudNetwork } from '../ports/cloud-network.ts';

export type SharedRead =
  'describeClusters' | 'describeAddon' | 'describeClusterVirtualNodes' | 'describeSecurityGroupLimits';

export const sharedReads: readonly SharedRead[] = [
  'describeClusters',
  'describeAddon',
  'describeClusterVirtualNodes',
  'describeSecurityGroupLimits',
];

/** One per account and region: the answers every replica's steps there may share. */
export interface ClusterReadCache {
  /** The kept answer of `key` when still fresh, else `load()`'s (kept for the TTL once it succeeds). */
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createClusterReadCache(options: { ttlMs: number; now?: () => number }): ClusterReadCache {
  const now = options.now ?? Date.now;
  const kept = new Map<string, { answer: Promise<unknown>; until: number }>();
  return {
    read<T>(key: string, load: () => Promise<T>): Promise<T> {
      const at = now();
      const hit = kept.get(key);
      if (hit && hit.until > at) return hit.answer.then((a) => structuredClone(a) as T);
      // Drop what has gone stale, so the map never outgrows the set of live questions.
      for (const [k, entry] of kept) if (entry.until <= at) kept.delete(k);
      const entry = { answer: load() as Promise<unknown>, until: Number.POSITIVE_INFINITY };
      kept.set(key, entry);
      entry.answer.then(
        () => {
          entry.until = now() + options.ttlMs;
        },
        () => {
          if (kept.get(key) === entry) kept.delete(key);
        },
      );
      return entry.answer.then((a) => structuredClone(a) as T);
    },
  };
}

/** `cloud` with its shared reads answered through `cache`; every other call goes straight through. */
export function shareClusterReads(cloud: CloudNetwork, cache: ClusterReadCache): CloudNetwork {
  const wrapped: Record<string, unknown> = {};
  for (const method of Object.keys(cloudActions) as (keyof CloudNetwork)[]) {
    const call = cloud[method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = (sharedReads as readonly string[]).includes(method)
      ? (...args: unknown[]) => cache.read(JSON.stringify([method, ...args]), () => call.apply(cloud, args))
      : (...args: unknown[]) => call.apply(cloud, args);
  }
  return wrapped as unknown as CloudNetwork;
}
