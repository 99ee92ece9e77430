/**
 * A bounded set of recently seen keys with a time-to-live: the callback's first line of
 * de-duplication for WeCom's retries (the intake's durable record is the second).
 */
export interface RecentKeys {
  /** True when the key is new (and records it); false when it was seen within the TTL. */
  add(key: string): boolean;
  /** Forgets a key, so a retry of a hand-over that failed is tried again. */
  forget(key: string): void;
  readonly size: number;
}

export function createRecentKeys(options: { ttlMs: number; maxKeys: number; now: () => Date }): RecentKeys {
  // Insertion order is age order, so expiry and eviction only ever look at the front.
  const seen = new Map<string, number>();
  const prune = (at: number) => {
    for (const [key, addedAt] of seen) {
      if (at - addedAt < options.ttlMs && seen.size <= options.maxKeys) break;
      seen.delete(key);
    }
  };
  return {
    add(key) {
      const at = options.now().getTime();
      prune(at);
      const addedAt = seen.get(key);
      if (addedAt !== undefined && at - addedAt < options.ttlMs) return false;
      seen.delete(key);
      seen.set(key, at);
      prune(at);
      return true;
    },
    forget(key) {
      seen.delete(key);
    },
    get size() {
      return seen.size;
    },
  };
}
