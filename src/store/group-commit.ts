/**
 * Group commit: while one batch is being written, the writes that arrive are queued and written
 * together in the next one. Every caller still waits until its own items are committed (an audit
 * intent is durable before its call is made; a chat line before it is acknowledged), but concurrent
 * callers no longer queue one by one on a row lock or a round trip each.
 */
export function groupCommit<E, R>(
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
