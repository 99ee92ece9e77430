/**
 * The drift watch as the app runs it: a BullMQ job scheduler fires one sweep per interval, and
 * whichever replica takes the job sweeps (one at a time per replica), so several replicas share the
 * work without doing it twice; a sweep cut off by a crash is taken up again by another replica when
 * its lock lapses, and running it again tells nobody twice (see sweep-drift.ts). Each grant's reads
 * are audited under the grant, as the step `driftWatch`. Between sweeps each replica watches every
 * cluster's SecurityGroupPolicies and pods (watch-policy-changes.ts, watch-pod-changes.ts), and a
 * change that can matter queues a sweep a moment later, deduplicated across replicas, so a burst
 * of changes heard by several replicas makes one sweep.
 */
import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import type { QueueSettings } from '../engine/queues.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { AuditSink } from '../audit/audit-port.ts';
import type { ClusterDirectory } from '../clusters/cluster-directory.ts';
import { sweepDrift } from '../drift/sweep-drift.ts';
import type { SweepSummary } from '../drift/sweep-drift.ts';
import { policyKey, watchedGrants } from '../drift/watched-grants.ts';
import { replicaName } from '../engine/replica-name.ts';
import { auditedPorts } from './audited-ports.ts';
import { watchPolicyChanges } from './watch-policy-changes.ts';
import { watchPodChanges } from './watch-pod-changes.ts';
import type { Targeted } from '../../workflows/shared/pods/target-pods.ts';
import type { Metrics } from '../metrics/create-metrics.ts';

export const driftQueueName = 'sgops-drift';
const schedulerId = 'drift-sweep';
/**
 * A change heard queues a sweep this long after; the changes heard meanwhile, by any replica, join
 * that sweep (one deduplication id), so a burst heard by several replicas makes one sweep.
 */
const heardSweepDelayMs = 2000;

export interface DriftWatch {
  /** One sweep now, on this replica (the scheduler's jobs run the same). */
  sweep(): Promise<SweepSummary>;
  /**
   * Schedules the sweeps (when `drift.sweepMs` is not 0), starts taking them, and watches the
   * clusters' policies for changes that call for a sweep sooner.
   */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createDriftWatch(
  config: Config,
  deps: {
    store: Store;
    engine: Engine;
    clusterPorts: ClusterDirectory;
    auditSink: AuditSink;
    currentSecrets: () => readonly string[];
    queueSettings: QueueSettings;
    metrics: Pick<Metrics, 'observeDriftSweep'>;
    clock: Clock;
    logger: Logger;
  },
): DriftWatch {
  const { clusterPorts, auditSink, logger } = deps;
  const log = logger.child({ component: 'drift-watch' });
  const sweep = async () => {
    const summary = await sweepDrift({
      ...deps,
      logger: log,
      async portsFor({ requestId, clusterId }) {
        const target = await clusterPorts.portsFor(clusterId);
        return auditedPorts(target, {
          sink: auditSink,
          context: { requestId, actor: 'sgops', step: 'driftWatch', clusterId },
          secrets: deps.currentSecrets,
        });
      },
    });
    deps.metrics.observeDriftSweep(summary);
    return summary;
  };
  let queue: Queue | null = null;
  let worker: Worker | null = null;
  const stopWatching = new AbortController();
  let watching: Promise<void> = Promise.resolve();
  return {
    sweep,
    async start() {
      const every = config.drift.sweepMs;
      if (every === 0) return;
      const { connection, prefix } = deps.queueSettings;
      queue = new Queue(driftQueueName, { connection, prefix });
      queue.on('error', (err) => log.warn({ err }, 'drift queue error'));
      // One scheduler for every replica: upserting it again changes nothing but its interval.
      await queue.upsertJobScheduler(
        schedulerId,
        { every },
        { name: 'sweep', opts: { removeOnComplete: 100 } },
      );
      worker = new Worker(
        driftQueueName,
        async () => {
          const summary = await sweep();
          log.info(summary, 'drift sweep');
          return summary;
        },
        {
          name: replicaName(),
          connection,
          prefix,
          concurrency: 1,
          lockDuration: config.workflow.lockDurationMs,
          stalledInterval: config.workflow.stalledIntervalMs,
        },
      );
      worker.on('error', (err) => log.warn({ err }, 'drift worker error'));
      if (!config.drift.watch) return;
      const sweeps = queue;
      const ears = {
        clusterIds: clusterPorts.clusterIds,
        // Not audited: the watches read no grant's access; the sweeps they ask for are audited.
        clusterFor: async (clusterId: string) => (await clusterPorts.portsFor(clusterId)).cluster,
        async sweepSoon() {
          if (stopWatching.signal.aborted) return;
          await sweeps.add(
            'sweep',
            {},
            {
              // While a heard sweep waits, asks from any replica join it; while one runs, one
              // more follows it, so a change heard mid-sweep is not left to the interval.
              deduplication: { id: 'heard', keepLastIfActive: true },
              delay: heardSweepDelayMs,
              removeOnComplete: 100,
              removeOnFail: 100,
            },
          );
        },
        logger: log,
      };
      watching = Promise.all([
        watchPolicyChanges(
          { ...ears, ownedPolicies: async () => new Set((await watchedGrants(deps.store)).map(policyKey)) },
          stopWatching.signal,
        ),
        watchPodChanges(
          {
            ...ears,
            grantedTargets: async () =>
              (await watchedGrants(deps.store)).map((r) => ({
                clusterId: r.clusterId,
                namespace: r.namespace,
                spec: r.spec as unknown as Targeted,
              })),
          },
          stopWatching.signal,
        ),
      ]).then(() => undefined);
    },
    async close() {
      // The watches end before the queue they add sweeps to closes.
      stopWatching.abort();
      await watching;
      await worker?.close();
      await queue?.close();
    },
  };
}
