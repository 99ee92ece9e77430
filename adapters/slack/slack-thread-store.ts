/**
 * Where the Slack transport remembers what it posted (a request's thread per conversation, its
 * progress message, its approval card, DM channels): string keys to JSON strings. In memory here;
 * the lead backs it with Postgres so threads survive restarts and are shared by replicas.
 */
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
