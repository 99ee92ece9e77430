/**
 * The drift watch as the app runs it: a BullMQ job scheduler fires one sweep per interval, and
 * whichever replica takes the job sweeps (one at a time per replica), so several replicas share the
 * work without doing it twice; a sweep cut off by a crash is taken up again by another replica when
 * its lock lapses, and running it again tells nobody twice (see sweep-drift.ts). Each grant's reads
 * are audited under the grant, as the step `driftWatch`.
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
import { auditedPorts } from './audited-ports.ts';
import type { Metrics } from '../metrics/create-metrics.ts';

const queueName = 'sgops-drift';
const schedulerId = 'drift-sweep';

export interface DriftWatch {
  /** One sweep now, on this replica (the scheduler's jobs run the same). */
  sweep(): Promise<SweepSummary>;
  /** Schedules the sweeps (when `drift.sweepMs` is not 0) and starts taking them. */
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
  return {
    sweep,
    async start() {
      const every = config.drift.sweepMs;
      if (every === 0) return;
      const { connection, prefix } = deps.queueSettings;
      queue = new Queue(queueName, { connection, prefix });
      queue.on('error', (err) => log.warn({ err }, 'drift queue error'));
      // One scheduler for every replica: upserting it again changes nothing but its interval.
      await queue.upsertJobScheduler(
        schedulerId,
        { every },
        { name: 'sweep', opts: { removeOnComplete: 100 } },
      );
      worker = new Worker(
        queueName,
        async () => {
          const summary = await sweep();
          log.info(summary, 'drift sweep');
          return summary;
        },
        {
          connection,
          prefix,
          concurrency: 1,
          lockDuration: config.workflow.lockDurationMs,
          stalledInterval: config.workflow.stalledIntervalMs,
        },
      );
      worker.on('error', (err) => log.warn({ err }, 'drift worker error'));
    },
    async close() {
      await worker?.close();
      await queue?.close();
    },
  };
}
