/**
 * Changes a watch hears, checked in batches: while one check runs, what is heard meanwhile waits
 * for the next, so a burst (a watch starting tells every object at once) costs one check, not one
 * per change.
 */
export function batchedChecks<T>(
  check: (batch: T[]) => Promise<void>,
  options: { signal: AbortSignal; onError(err: unknown): void },
): (item: T) => void {
  let pending: T[] = [];
  let checking = false;
  const drain = async () => {
    checking = true;
    try {
      while (pending.length > 0 && !options.signal.aborted) {
        const batch = pending;
        pending = [];
        await check(batch);
      }
    } catch (err) {
      pending = [];
      options.onError(err);
    } finally {
      checking = false;
    }
  };
  return (item) => {
    pending.push(item);
    if (!checking) void drain();
  };
}
