/**
 * The GroupWriteLock every replica shares through Redis (see src/ports/group-write-lock.ts): the
 * single-instance lock of Redis' documentation, in three short scripts.
 *
 * - A turn is `SET <prefix>:<sg> <token> NX PX ttlMs`. Its holder renews it every renewEveryMs
 *   (compare-and-expire), so a slow cloud call never loses it, and gives it back with a
 *   compare-and-delete that also PUBLISHes the group on `<prefix>:released` (pub/sub is not keyed,
 *   so this needs no keyspace notifications).
 * - A holder that dies without giving back its turn holds the group for at most ttlMs (10 s).
 * - Within one process, writers of a group wait in memory (src/domain/keyed-turns.ts); only the first
 *   of them asks Redis, so a replica never polls against itself.
 * - A waiter is woken by the channel as soon as a turn is given back; without a message (the holder
 *   died; a message lost while reconnecting) it asks again after min(the key's PTTL, pollMs), jittered.
 * - A waiter that found the group taken adds its replica to `<prefix>:<sg>:waiting`. A replica that
 *   gives back a turn while another replica waits makes its own next writer pause courtesyMs, long
 *   enough for the woken replica to take it: busy replicas alternate instead of one keeping the group.
 * - A turn found taken by another token at renewal (Redis lost its data, or a pause beyond ttlMs) is
 *   logged and the write still goes out: the lock spares calls, the rule set's Version keeps the writes
 *   correct.
 *
 * Written here rather than taken from a library: redis-semaphore (the maintained one) lets a Redis
 * error in its background refresh escape as an unhandled rejection, which ends the process
 * (swarthy/redis-semaphore#199, closed as out of its scope) — and sgops must outlive a Redis outage —
 * and it names its keys `mutex:<key>`, outside the configured prefix; redlock's stable line is 4.x
 * with 5.x left in beta, and its quorum is for several independent Redis nodes where sgops has one.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../../src/errors.ts';
import type { GroupWriteLock } from '../../src/ports/group-write-lock.ts';
import { createKeyedTurns } from '../../src/domain/keyed-turns.ts';
import { defaultGroupWriteWaitMs, groupWriteWait } from '../../src/ports/group-write-wait.ts';

export interface RedisGroupWriteLockOptions {
  url: string;
  /** Keys and the channel live under it: `${config.redis.prefix}:group-writes`. */
  keyPrefix: string;
  /** Lifetime of a turn not renewed (default 10 s): how long a dead holder can block a group. */
  ttlMs?: number;
  /** Default 3 s: two renewals can fail before a live holder loses its turn. */
  renewEveryMs?: number;
  /** Longest wait for a turn before GROUP_WRITE_BUSY (default 2 min). */
  maxWaitMs?: number;
  /** Longest sleep of a waiter that no message woke (default 500 ms). */
  pollMs?: number;
  /** Pause of this replica's next writer when another replica waits (default 20 ms). */
  courtesyMs?: number;
  logger?: Logger;
  random?: () => number;
}

export type RedisGroupWriteLock = GroupWriteLock & { close(): Promise<void> };

/** Takes the turn (returns 'OK') or says how long the holder's turn has left, noting who waits. */
const takeScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SREM', KEYS[2], ARGV[3])
  return 'OK'
end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return redis.call('PTTL', KEYS[1])`;

/** 1 while the turn is still this token's (and renewed), else 0. */
const renewScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** -1: the turn was no longer ours; else gives it back and says whether another replica waits (1). */
const giveBackScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
for _, replica in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if replica ~= ARGV[4] then return 1 end
end
return 0`;

export function createRedisGroupWriteLock(options: RedisGroupWriteLockOptions): RedisGroupWriteLock {
  const ttlMs = options.ttlMs ?? 10_000;
  const renewEveryMs = options.renewEveryMs ?? 3_000;
  const maxWaitMs = options.maxWaitMs ?? defaultGroupWriteWaitMs;
  const pollMs = options.pollMs ?? 500;
  const courtesyMs = options.courtesyMs ?? 20;
  const random = options.random ?? Math.random;
  const { logger } = options;
  const replica = randomUUID();
  const channel = `${options.keyPrefix}:released`;
  const keyOf = (groupId: string) => `${options.keyPrefix}:${groupId}`;
  const waitingKeyOf = (groupId: string) => `${keyOf(groupId)}:waiting`;

  // Few retries per command: a lost Redis fails the step (retryable) soon instead of stalling it.
  const commands = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  // Connection trouble reaches the step whose command it blocks; a waiter polls while unsubscribed.
  commands.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  let subscribed: Promise<unknown> | null = null;
  const subscribe = () => {
    subscribed ??= subscriber.subscribe(channel).catch((err: unknown) => {
      subscribed = null;
      logger?.debug({ err }, 'group write lock: not subscribed to give-backs; waiters poll');
    });
  };

  const turns = createKeyedTurns();
  // The waiter of each group in this process (at most one: the others wait in `turns`).
  const wakers = new Map<string, () => void>();
  subscriber.on('message', (from: string, groupId: string) => {
    if (from === channel) wakers.get(groupId)?.();
  });
  // Groups given back while another replica waited, and when: this process's next writer yields.
  const yieldAfter = new Map<string, number>();

  async function take(groupId: string, token: string, signal: AbortSignal): Promise<void> {
    subscribe();
    const gaveBack = yieldAfter.get(groupId);
    yieldAfter.delete(groupId);
    if (gaveBack !== undefined && Date.now() - gaveBack < pollMs)
      await sleep(courtesyMs, undefined, { signal });
    let woken = false;
    let wake: (() => void) | null = null;
    wakers.set(groupId, () => {
      woken = true;
      wake?.();
    });
    try {
      for (;;) {
        signal.throwIfAborted();
        woken = false;
        const answer = (await commands.eval(
          takeScript,
          2,
          keyOf(groupId),
          waitingKeyOf(groupId),
          token,
          ttlMs,
          replica,
          pollMs * 3,
        )) as 'OK' | number;
        if (answer === 'OK') return;
        if (woken) continue;
        const napMs = Math.max(1, Math.min(answer >= 0 ? answer : pollMs, pollMs)) * (0.75 + random() / 2);
        await new Promise<void>((resolve, reject) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', aborted);
            wake = null;
          };
          const timer = setTimeout(() => (done(), resolve()), napMs);
          const aborted = () => (done(), reject(signal.reason as Error));
          wake = () => (done(), resolve());
          signal.addEventListener('abort', aborted, { once: true });
        });
      }
    } finally {
      wakers.delete(groupId);
    }
  }

  function keepRenewed(groupId: string, token: string): () => void {
    let stopped = false;
    const timer = setInterval(() => {
      commands.eval(renewScript, 1, keyOf(groupId), token, ttlMs).then(
        (renewed) => {
          if (stopped || renewed === 1) return;
          stopped = true;
          clearInterval(timer);
          logger?.warn(
            { securityGroupId: groupId },
            'group write lock: the turn was lost while writing; the rule set Version still guards the write',
          );
        },
        // The next renewal tries again; the turn lasts ttlMs from the last one that worked.
        (err: unknown) =>
          logger?.debug({ err, securityGroupId: groupId }, 'group write lock: renewal failed'),
      );
    }, renewEveryMs);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  async function giveBack(groupId: string, token: string): Promise<void> {
    try {
      const others = await commands.eval(
        giveBackScript,
        2,
        keyOf(groupId),
        waitingKeyOf(groupId),
        token,
        channel,
        groupId,
        replica,
      );
      if (others === 1) yieldAfter.set(groupId, Date.now());
    } catch (err) {
      // Unreleased, the turn ends by itself within ttlMs.
      logger?.warn({ err, securityGroupId: groupId }, 'group write lock: the turn was not given back');
    }
  }

  return {
    async serialise(groupId, fn, signal) {
      const wait = groupWriteWait(maxWaitMs, signal);
      const giveBackHere = await turns.take(groupId, wait.signal).catch((error: unknown) => {
        wait.end();
        throw wait.busy(groupId, error);
      });
      const token = randomUUID();
      try {
        await take(groupId, token, wait.signal);
        wait.end();
      } catch (error) {
        wait.end();
        giveBackHere();
        if (wait.signal.aborted) throw wait.busy(groupId, error);
        throw new AppError('NETWORK', `Could not take the write turn of security group ${groupId} in Redis`, {
          cause: error,
          details: { securityGroupId: groupId },
          hint: 'Check that Redis is reachable; the step is tried again.',
        });
      }
      const stopRenewing = keepRenewed(groupId, token);
      try {
        return await fn();
      } finally {
        stopRenewing();
        await giveBack(groupId, token);
        giveBackHere();
      }
    },
    async close() {
      subscriber.disconnect();
      // A client that never connected (lazyConnect) has nothing to say goodbye to.
      if (commands.status === 'wait') commands.disconnect();
      else await commands.quit().catch(() => commands.disconnect());
    },
  };
}
