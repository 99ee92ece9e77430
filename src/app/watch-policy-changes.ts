/**
 * What makes the drift watch hear Kubernetes at once instead of at the next interval: the
 * SecurityGroupPolicies of each cluster are watched (one request per cluster, kept open), and a
 * change that can matter — any deletion, or a change to a policy that a grant in force owns — asks
 * for a sweep soon.
 */
import type { Logger } from 'pino';
import type { Cluster } from '../ports/cluster.ts';
import { policyKeyOf } from '../drift/watched-grants.ts';
import { batchedChecks } from './batched-checks.ts';
import { keepWatching } from './keep-watching.ts';
import type { RetryPauses } from './keep-watching.ts';

export interface PolicyWatchDeps {
  clusterIds: readonly string[];
  clusterFor(clusterId: string): Promise<Pick<Cluster, 'watchSecurityGroupPolicies'>>;
  /** The policies the grants in force own, as `policyKeyOf` keys. */
  ownedPolicies(): Promise<ReadonlySet<string>>;
  /** Asks for one sweep soon; asks close together make one sweep. */
  sweepSoon(): Promise<void>;
  logger: Logger;
  retry?: RetryPauses;
}

/** Watches until `signal` aborts; resolves once every cluster's watch has ended. */
export async function watchPolicyChanges(deps: PolicyWatchDeps, signal: AbortSignal): Promise<void> {
  const { logger: log } = deps;
  const askForSweep = () => {
    deps.sweepSoon().catch((err: unknown) => {
      if (!signal.aborted) log.warn({ err }, 'drift watch could not queue a sweep');
    });
  };
  // Whether a change is a grant's needs the grants in force: one store read per batch.
  const check = batchedChecks<string>(
    async (keys) => {
      const owned = await deps.ownedPolicies();
      if (keys.some((key) => owned.has(key))) askForSweep();
    },
    { signal, onError: (err) => log.warn({ err }, 'drift watch could not read the grants in force') },
  );
  await keepWatching(
    {
      clusterIds: deps.clusterIds,
      what: 'policies',
      async watch(clusterId, heard) {
        const cluster = await deps.clusterFor(clusterId);
        await cluster.watchSecurityGroupPolicies((change) => {
          heard();
          // A deleted policy may have been a grant's even when no grant in force names it any more.
          if (change.type === 'DELETED') askForSweep();
          else check(policyKeyOf(clusterId, change.namespace, change.name));
        }, signal);
      },
      logger: log,
      ...(deps.retry ? { retry: deps.retry } : {}),
    },
    signal,
  );
}
