/**
 * How long a writer waits for its turn at a security group, and how a wait that ends early is
 * reported: the retryable GROUP_WRITE_BUSY, so the step runs again later instead of hanging. Part of
 * the GroupWriteLock contract: every implementation (the local one, the Redis adapter) waits this way.
 */
import { AppError } from '../errors.ts';

/**
 * Default bound on one wait. At the default stepConcurrency (8) two replicas have at most 15 writers
 * ahead of one; each turn is a read and a write (about 4 s at a 2 s cloud latency): about a minute.
 */
export const defaultGroupWriteWaitMs = 120_000;

export interface GroupWriteWait {
  /** Aborts when the caller's signal does or the bound has passed. */
  signal: AbortSignal;
  /** The error to throw for an aborted wait: the bound passed, or the worker is stopping. */
  busy(securityGroupId: string, cause?: unknown): AppError;
  /** The wait is over (turn taken or given up): its timer and its listener go. */
  end(): void;
}

export function groupWriteWait(maxWaitMs: number, signal?: AbortSignal): GroupWriteWait {
  const started = Date.now();
  // Not AbortSignal.any: the worker's signal lives as long as the process, and each wait would
  // leave it a dependant; here the listener is removed when the wait ends.
  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  const timer = setTimeout(() => controller.abort(new Error('timed out')), maxWaitMs);
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return {
    signal: controller.signal,
    busy(securityGroupId, cause) {
      const waitedMs = Date.now() - started;
      const stopping = signal?.aborted === true;
      return new AppError(
        'GROUP_WRITE_BUSY',
        stopping
          ? `Stopped waiting to write security group ${securityGroupId}: this replica is stopping.`
          : `Waited ${waitedMs} ms for other writes to security group ${securityGroupId} to finish.`,
        {
          details: { securityGroupId, waitedMs, reason: stopping ? 'stopping' : 'timeout' },
          hint: 'The step is tried again; writes into one group are made one at a time across replicas.',
          ...(cause === undefined ? {} : { cause }),
        },
      );
    },
    end() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    },
  };
}
