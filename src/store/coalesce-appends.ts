/**
 * Group commit for audit appends: while one append transaction runs, the appends that arrive are
 * queued and written together in the next one. Every caller still waits until its rows are
 * committed (an intent is durable before its call is made), but concurrent steps no longer queue
 * one by one on the chain head's row lock.
 */
export function coalesceAppends<E, R>(
  appendMany: (entries: E[]) => Promise<R[]>,
): (entries: E[]) => Promise<R[]> {
  let waiting: { entries: E[]; resolve: (rows: R[]) => void; reject: (error: unknown) => void }[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const rows = await appendMany(batch.flatMap((b) => b.entries));
        let at = 0;
        for (const b of batch) {
          b.resolve(rows.slice(at, at + b.entries.length));
          at += b.entries.length;
        }
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    running = false;
  }

  return (entries) =>
    new Promise<R[]>((resolve, reject) => {
      waiting.push({ entries, resolve, reject });
      if (!running) void drain();
    });
}
