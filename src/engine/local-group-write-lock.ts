/**
 * The GroupWriteLock of one process alone: turns per group in memory. Enough for steps run by one
 * process (unit tests); replicas share the Redis one (adapters/redis/redis-group-write-lock.ts),
 * which queues its own process's writers the same way before it asks Redis.
 */
import type { GroupWriteLock } from '../ports/group-write-lock.ts';
import { createKeyedTurns } from '../domain/keyed-turns.ts';
import { defaultGroupWriteWaitMs, groupWriteWait } from '../ports/group-write-wait.ts';

export function createLocalGroupWriteLock(options: { maxWaitMs?: number } = {}): GroupWriteLock {
  const turns = createKeyedTurns();
  const maxWaitMs = options.maxWaitMs ?? defaultGroupWriteWaitMs;
  return {
    async serialise(securityGroupId, fn, signal) {
      const wait = groupWriteWait(maxWaitMs, signal);
      const giveBack = await turns
        .take(securityGroupId, wait.signal)
        .catch((error: unknown) => {
          throw wait.busy(securityGroupId, error);
        })
        .finally(() => wait.end());
      try {
        return await fn();
      } finally {
        giveBack();
      }
    },
  };
}
