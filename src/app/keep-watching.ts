/**
 * One watch per cluster, kept open until `signal` aborts: a watch that fails is opened again after
 * a pause that doubles up to a limit (never a busy loop), and each kind of failure is logged once,
 * until the watch hears something again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isAppError } from '../errors.ts';

export interface RetryPauses {
  /** The pause after a failed watch: `firstMs`, doubled per failure up to `maxMs`. */
  firstMs: number;
  maxMs: number;
}

export const defaultRetry: RetryPauses = { firstMs: 1000, maxMs: 60_000 };

export interface KeepWatching {
  clusterIds: readonly string[];
  /** What is watched, for the log: `policies`, `pods`. */
  what: string;
  /** Opens one watch of the cluster; `heard` is called with each change it tells. */
  watch(clusterId: string, heard: () => void): Promise<void>;
  logger: Logger;
  retry?: RetryPauses;
}

/** Resolves once every cluster's watch has ended (that is, once `signal` aborted). */
export async function keepWatching(options: KeepWatching, signal: AbortSignal): Promise<void> {
  const { logger: log, what } = options;
  const retry = options.retry ?? defaultRetry;
  const watchCluster = async (clusterId: string) => {
    const logged = new Set<string>();
    let pauseMs = retry.firstMs;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        await options.watch(clusterId, () => {
          if (logged.size === 0) return;
          logged.clear();
          log.info({ clusterId }, `drift watch hears the cluster’s ${what} again`);
        });
      } catch (err) {
        if (signal.aborted) return;
        const kind = isAppError(err) ? err.code : 'INTERNAL';
        if (!logged.has(kind)) {
          logged.add(kind);
          log.warn({ err, clusterId }, `drift watch cannot watch the cluster’s ${what}; trying again`);
        }
      }
      // A watch that held a long while failed afresh: start the pauses over.
      if (Date.now() - started >= retry.maxMs) pauseMs = retry.firstMs;
      try {
        await sleep(pauseMs, undefined, { signal });
      } catch {
        return; // aborted while pausing
      }
      pauseMs = Math.min(pauseMs * 2, retry.maxMs);
    }
  };
  await Promise.all(options.clusterIds.map(watchCluster));
}
