/**
 * Outcome rows held back and written together with the next call's intent, in one batch, or by
 * flush() when the step ends. A crash therefore leaves at most the last call without its outcome,
 * as when every outcome had a commit of its own, but a step makes one audit write per call instead
 * of two. A step awaits flush() before it reports, so its result is never recorded ahead of its calls.
 */
import type { AuditEntry } from '../store/store.ts';

export interface AuditWriteBehind {
  /** Keeps an outcome row until the next append (or flush) carries it. */
  hold(entry: AuditEntry): void;
  /** Appends the held rows, then `entries`, as one batch; on failure the held rows stay held. */
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** Appends whatever is still held. */
  flush(): Promise<void>;
}

export function createAuditWriteBehind(sink: {
  appendAudit(entries: AuditEntry[]): Promise<unknown>;
}): AuditWriteBehind {
  let held: AuditEntry[] = [];
  const appendAudit = async (entries: AuditEntry[]) => {
    const carried = held;
    held = [];
    if (carried.length === 0 && entries.length === 0) return;
    try {
      await sink.appendAudit([...carried, ...entries]);
    } catch (error) {
      held = [...carried, ...held];
      throw error;
    }
  };
  return {
    hold(entry) {
      held.push(entry);
    },
    appendAudit,
    flush: () => appendAudit([]),
  };
}
