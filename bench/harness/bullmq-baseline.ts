/**
 * Raw BullMQ throughput on this machine, now: no-op jobs with the options sgops gives its step jobs,
 * drained by one Worker at the given concurrency on a prefix of its own.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { redisConnectionFromUrl } from '../../src/engine/queues.ts';
import { deleteRedisKeys, redisUrl } from './bench-app.ts';
import { cpuMsOf } from './cpu-ms.ts';

export async function bullmqNoopJobsPerSecond(options: {
  jobs: number;
  concurrency: number;
  timeoutMs: number;
}): Promise<{ jobsPerSecond: number; jobs: number; ms: number; cpuMsPerJob: number }> {
  const prefix = `sgops-bench-bullmq-${randomBytes(4).toString('hex')}`;
  const connection = redisConnectionFromUrl(redisUrl);
  const queue = new Queue('noop', { connection, prefix });
  const worker = new Worker('noop', async () => 'done', {
    connection,
    prefix,
    concurrency: options.concurrency,
    autorun: false,
  });
  try {
    // Queue everything first, so the figure is the worker's drain rate, not the producer's.
    for (let i = 0; i < options.jobs; i += 500) {
      await queue.addBulk(
        Array.from({ length: Math.min(500, options.jobs - i) }, (_, k) => ({
          name: 'noop',
          data: { requestId: `R${i + k}`, step: 'noop', attempt: 1 },
          opts: {
            jobId: `noop.${i + k}`,
            attempts: 8,
            backoff: { type: 'exponential', delay: 50, jitter: 0.5 },
            removeOnComplete: { age: 24 * 3600 },
          },
        })),
      );
    }
    let completed = 0;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('BullMQ baseline ran out of time')), options.timeoutMs);
      worker.on('completed', () => {
        if (++completed === options.jobs) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    void worker.run();
    await done;
    const ms = performance.now() - started;
    // This process's CPU only (the worker); Redis' own is not counted, as for sgops.
    const cpuMsPerJob = cpuMsOf(process.cpuUsage(cpuBefore)) / options.jobs;
    return { jobsPerSecond: (options.jobs / ms) * 1000, jobs: options.jobs, ms, cpuMsPerJob };
  } finally {
    await worker.close();
    await queue.close();
    await deleteRedisKeys(prefix);
  }
}
