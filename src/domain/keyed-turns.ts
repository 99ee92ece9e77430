/**
 * Turns per key within one process, first come first served: one holder per key at a time. A
 * waiter whose signal aborts leaves the line without ever holding the turn. Pure (no I/O), so both
 * GroupWriteLocks, the engine's and the Redis adapter's, queue a process's own writers with it.
 */
export interface KeyedTurns {
  /** Resolves with the function that gives the turn back (once; later calls do nothing). */
  take(key: string, signal?: AbortSignal): Promise<() => void>;
}

interface Waiter {
  grant(): void;
}

export function createKeyedTurns(): KeyedTurns {
  // A key is present while someone holds its turn; its array holds the waiters, oldest first.
  const lines = new Map<string, Waiter[]>();

  const giveBackFor = (key: string) => {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = lines.get(key)?.shift();
      if (next) next.grant();
      else lines.delete(key);
    };
  };

  return {
    take(key, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const line = lines.get(key);
      if (!line) {
        lines.set(key, []);
        return Promise.resolve(giveBackFor(key));
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const at = line.indexOf(waiter);
          if (at >= 0) line.splice(at, 1);
          reject(signal!.reason as Error);
        };
        const waiter: Waiter = {
          grant() {
            signal?.removeEventListener('abort', onAbort);
            resolve(giveBackFor(key));
          },
        };
        line.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
