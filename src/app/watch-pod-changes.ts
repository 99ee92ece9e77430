/**
 * The pod half of the drift watch's ears: every cluster's pods are watched (one request per
 * cluster, kept open), and a sweep is asked for when a pod of a granted app starts to run without
 * a security group, or such a pod goes away (the drift may be over). What a pod carries is judged
 * by `runsWithoutGroups`; whose app it is, by the grants in force, read once per batch of changes.
 */
import type { Logger } from 'pino';
import type { Cluster, PodInfo } from '../ports/cluster.ts';
import type { Targeted } from '../../workflows/shared/pods/target-pods.ts';
import { isTargetPod } from '../../workflows/shared/pods/target-pods.ts';
import { runsWithoutGroups } from '../drift/runs-without-groups.ts';
import { batchedChecks } from './batched-checks.ts';
import { keepWatching } from './keep-watching.ts';
import type { RetryPauses } from './keep-watching.ts';

/** Whose pods a grant in force is about. */
export interface GrantedTarget {
  clusterId: string;
  namespace: string;
  spec: Targeted;
}

export interface PodWatchDeps {
  clusterIds: readonly string[];
  clusterFor(clusterId: string): Promise<Pick<Cluster, 'watchPods'>>;
  grantedTargets(): Promise<readonly GrantedTarget[]>;
  /** Asks for one sweep soon; asks close together make one sweep. */
  sweepSoon(): Promise<void>;
  logger: Logger;
  retry?: RetryPauses;
}

/** Watches until `signal` aborts; resolves once every cluster's watch has ended. */
export async function watchPodChanges(deps: PodWatchDeps, signal: AbortSignal): Promise<void> {
  const { logger: log } = deps;
  const check = batchedChecks<{ clusterId: string; pod: PodInfo }>(
    async (heard) => {
      const targets = await deps.grantedTargets();
      const granted = heard.some(({ clusterId, pod }) =>
        targets.some(
          (t) => t.clusterId === clusterId && t.namespace === pod.namespace && isTargetPod(t.spec, pod),
        ),
      );
      if (!granted) return;
      await deps.sweepSoon().catch((err: unknown) => {
        if (!signal.aborted) log.warn({ err }, 'drift watch could not queue a sweep');
      });
    },
    { signal, onError: (err) => log.warn({ err }, 'drift watch could not read the grants in force') },
  );
  // Per cluster, the pods seen running without groups (kept across reconnects): only a change asks.
  const withoutGroups = new Map(deps.clusterIds.map((id) => [id, new Set<string>()]));
  await keepWatching(
    {
      clusterIds: deps.clusterIds,
      what: 'pods',
      async watch(clusterId, heard) {
        const without = withoutGroups.get(clusterId)!;
        const cluster = await deps.clusterFor(clusterId);
        await cluster.watchPods(({ type, pod }) => {
          heard();
          const key = `${pod.namespace}/${pod.name}`;
          const was = without.has(key);
          const is = type !== 'DELETED' && runsWithoutGroups(pod);
          if (is) without.add(key);
          else without.delete(key);
          if (is !== was) check({ clusterId, pod });
        }, signal);
      },
      logger: log,
      ...(deps.retry ? { retry: deps.retry } : {}),
    },
    signal,
  );
}
