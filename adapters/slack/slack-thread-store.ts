/**
 * Where the Slack transport remembers what it posted (a request's thread per conversation, its
 * progress message, its approval card, DM channels): string keys to JSON strings. The app keeps
 * it in the database (createDurableSlackThreadStore), so threads survive restarts and are shared
 * by replicas; the in-memory one serves the adapter's own tests.
 */
import type { SlackThreadTable } from '../../src/ports/chat-state.ts';

export interface SlackThreadStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function createMemorySlackThreadStore(options: { maxEntries?: number } = {}): SlackThreadStore {
  const max = options.maxEntries ?? 100_000;
  const entries = new Map<string, string>();
  return {
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      // Oldest first in insertion order: drop the least recently written.
      while (entries.size > max) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
  };
}

export interface DurableSlackThreadStoreOptions {
  now?: () => Date;
  /**
   * How long an entry lives after its last write: 90 days by default. Expired and orphaned rows
   * are deleted by the app's periodic prune (SlackThreadTable.pruneSlackThreads), not here.
   */
  ttlMs?: number;
}

const day = 24 * 3600 * 1000;

/**
 * The request an entry is about, read from the transport's keys (`thread:`, `progress:` and
 * `card:` carry it; a thread root's value is it), so the entry is pruned with its request.
 */
export function requestIdOfSlackEntry(key: string, value: string): string | null {
  const [kind, id] = key.split(':');
  if (kind === 'thread' || kind === 'progress' || kind === 'card' || kind === 'outside') return id || null;
  if (kind === 'root') return value || null;
  return null;
}

export function createDurableSlackThreadStore(
  rows: Pick<SlackThreadTable, 'getSlackThread' | 'putSlackThread'>,
  options: DurableSlackThreadStoreOptions = {},
): SlackThreadStore {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 90 * day;

  return {
    async get(key) {
      return (await rows.getSlackThread(key)) ?? undefined;
    },
    async set(key, value) {
      const at = now().getTime();
      // A response URL is dead after 30 minutes: its entry need not outlive the day.
      const lives = key.startsWith('respond:') ? Math.min(ttlMs, day) : ttlMs;
      await rows.putSlackThread({
        key,
        value,
        requestId: requestIdOfSlackEntry(key, value),
        expiresAt: new Date(at + lives),
      });
    },
  };
}
