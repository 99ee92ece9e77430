/**
 * Outcome rows written behind the call they record. The sink commits in arrival order (group
 * commit), so the next call's intent is never durable before this outcome: at any instant at most
 * the last call lacks its outcome, as when every outcome was awaited. A step awaits flush() before
 * it reports, so its result is never recorded ahead of its calls.
 */
export interface AuditWriteBehind {
  track(write: Promise<unknown>): void;
  /** Throws the first failed write, so no further call is made once the trail has a hole. */
  throwIfFailed(): void;
  /** Waits for every tracked write; throws the first that failed. */
  flush(): Promise<void>;
}

export function createAuditWriteBehind(): AuditWriteBehind {
  const pending = new Set<Promise<unknown>>();
  let failure: { error: unknown } | null = null;
  const throwIfFailed = () => {
    if (failure) throw failure.error;
  };
  return {
    track(write) {
      const settled = write.then(
        () => undefined,
        (error: unknown) => {
          failure ??= { error };
        },
      );
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
    },
    throwIfFailed,
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
      throwIfFailed();
    },
  };
}
