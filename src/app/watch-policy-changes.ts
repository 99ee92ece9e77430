/**
 * What makes the drift watch hear Kubernetes at once instead of at the next interval: the
 * SecurityGroupPolicies of each cluster are watched (one request per cluster, kept open), and a
 * change that can matter — any deletion, or a change to a policy that a grant in force owns — asks
 * for a sweep soon. A watch that fails is watched again after a pause that doubles up to a limit
 * (never a busy loop); each kind of failure is logged once, until the watch hears something again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isAppError } from '../errors.ts';
import type { Cluster, SecurityGroupPolicyChange } from '../ports/cluster.ts';
import { policyKeyOf } from '../drift/watched-grants.ts';

export interface PolicyWatchDeps {
  clusterIds: readonly string[];
  clusterFor(clusterId: string): Promise<Pick<Cluster, 'watchSecurityGroupPolicies'>>;
  /** The policies the grants in force own, as `policyKeyOf` keys. */
  ownedPolicies(): Promise<ReadonlySet<string>>;
  /** Asks for one sweep soon; asks close together make one sweep. */
  sweepSoon(): Promise<void>;
  logger: Logger;
  /** The pause after a failed watch: `firstMs`, doubled per failure up to `maxMs`. */
  retry?: { firstMs: number; maxMs: number };
}

const defaultRetry = { firstMs: 1000, maxMs: 60_000 };

/** Watches until `signal` aborts; resolves once every cluster's watch has ended. */
export async function watchPolicyChanges(deps: PolicyWatchDeps, signal: AbortSignal): Promise<void> {
  const { logger: log } = deps;
  const retry = deps.retry ?? defaultRetry;

  const askForSweep = () => {
    deps.sweepSoon().catch((err: unknown) => {
      if (!signal.aborted) log.warn({ err }, 'drift watch could not queue a sweep');
    });
  };

  // Whether a change is a grant's needs the grants in force: one store read per burst of changes
  // (a watch starting tells every policy at once), not one per change.
  let pending: string[] = [];
  let checking = false;
  const checkPending = async () => {
    checking = true;
    try {
      while (pending.length > 0 && !signal.aborted) {
        const batch = pending;
        pending = [];
        const owned = await deps.ownedPolicies();
        if (batch.some((key) => owned.has(key))) askForSweep();
      }
    } catch (err) {
      log.warn({ err }, 'drift watch could not read the grants in force');
    } finally {
      checking = false;
    }
  };
  const heard = (clusterId: string, change: SecurityGroupPolicyChange) => {
    // A deleted policy may have been a grant's even when no grant in force names it any more.
    if (change.type === 'DELETED') return askForSweep();
    pending.push(policyKeyOf(clusterId, change.namespace, change.name));
    if (!checking) void checkPending();
  };

  const watchCluster = async (clusterId: string) => {
    const logged = new Set<string>();
    let pauseMs = retry.firstMs;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const cluster = await deps.clusterFor(clusterId);
        await cluster.watchSecurityGroupPolicies((change) => {
          if (logged.size > 0) {
            logged.clear();
            log.info({ clusterId }, 'drift watch hears the cluster’s policies again');
          }
          heard(clusterId, change);
        }, signal);
      } catch (err) {
        if (signal.aborted) return;
        const kind = isAppError(err) ? err.code : 'INTERNAL';
        if (!logged.has(kind)) {
          logged.add(kind);
          log.warn({ err, clusterId }, 'drift watch cannot watch the cluster’s policies; trying again');
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

  await Promise.all(deps.clusterIds.map(watchCluster));
}
