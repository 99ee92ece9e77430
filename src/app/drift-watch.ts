/**
 * The drift watch as the app runs it: a BullMQ job scheduler fires one sweep per interval, and
 * whichever replica takes the job sweeps (one at a time per replica), so several replicas share the
 * work without doing it twice; a sweep cut off by a crash is taken up again by another replica when
 * its lock lapses, and running it again tells nobody twice (see sweep-drift.ts). Each grant's reads
 * are audited under the grant, as the step `driftWatch`. Between sweeps each replica watches every
 * cluster's SecurityGroupPolicies (watch-policy-changes.ts), and a change that can matter queues a
 * sweep a moment later, under a job id shared by every replica for that moment, so a burst of
 * changes heard by several replicas makes one sweep.
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
import type { Metrics } from '../metrics/create-metrics.ts';

export const driftQueueName = 'sgops-drift';
const schedulerId = 'drift-sweep';
/**
 * A change heard queues a sweep this long after, with the id of this stretch of time: every change
 * of the stretch comes before its sweep starts (the delay is as long as the stretch), and the
 * changes of one stretch, from any replica, make one sweep.
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
      const sweeps = queue;
      watching = watchPolicyChanges(
        {
          clusterIds: clusterPorts.clusterIds,
          // Not audited: the watch reads no grant's access; the sweeps it asks for are audited.
          clusterFor: async (clusterId) => (await clusterPorts.portsFor(clusterId)).cluster,
          ownedPolicies: async () => new Set((await watchedGrants(deps.store)).map(policyKey)),
          async sweepSoon() {
            if (stopWatching.signal.aborted) return;
            const stretch = Math.floor(Date.now() / heardSweepDelayMs);
            await sweeps.add(
              'sweep',
              {},
              {
                jobId: `heard-${stretch}`,
                delay: heardSweepDelayMs,
                removeOnComplete: 100,
                removeOnFail: 100,
              },
            );
          },
          logger: log,
        },
        stopWatching.signal,
      );
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
