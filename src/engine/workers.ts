/**
 * The BullMQ workers: chat lines, workflow events (timers), steps and notifications. All workers of
 * a queue share lockDuration/stalledInterval, so a killed worker's job is re-delivered to another
 * within lockDuration + stalledInterval. A stopping worker does not leave its steps to that: each
 * finishes the call it is in, starts no other, and its job goes straight back to the queue. A step
 * job carries its request on through the steps that follow at once (step-carrier.ts), each of them
 * guarded by a job of its own (carried-steps.ts).
 */
import { setMaxListeners } from 'node:events';
import { DelayedError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../errors.ts';
import { systemClock } from '../ports/clock.ts';
import type { Clock } from '../ports/clock.ts';
import type { Engine } from './engine.ts';
import type { StepGuards } from './carried-steps.ts';
import type { QueueSettings } from './queues.ts';
import { queueNames } from './queues.ts';
import type { StepResult } from '../ports/step-result.ts';
import type { WorkflowEffectJob } from '../ports/workflow-definition.ts';
import { createStepCarrier } from './step-carrier.ts';
import { replicaName } from './replica-name.ts';
import type { StepCalls } from './step-calls.ts';

export interface WorkerSettings {
  stepConcurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** The first retry's delay of a step that failed (a carried step's guard job waits this long). */
  stepBackoffMs: number;
  /** How long close() waits for running jobs before it leaves them to be re-delivered. */
  shutdownGraceMs: number;
}

export type StepRunner = (args: {
  workflow: string;
  requestId: string;
  step: string;
  attempt: number;
  context: unknown;
  /** Aborted when the workers close, so waiting steps end early and re-arm. */
  signal: AbortSignal;
  /**
   * Wrap the step's ports in it (outside the audit decorator): once the workers close, a call in
   * flight finishes but no new one starts, and the job is handed back to the queue.
   */
  calls: StepCalls;
}) => Promise<StepResult>;

export interface WorkerDeps<TChat, TNotify> {
  queues: QueueSettings;
  settings: WorkerSettings;
  engine: Engine;
  /** The guard jobs of steps a job carries on with (src/engine/carried-steps.ts). */
  guards: StepGuards;
  runStep: StepRunner;
  /** `lastAttempt`: a failure now is final (the line must be answered, not thrown). */
  handleChat: (inbound: TChat, options: { lastAttempt: boolean }) => Promise<void>;
  notify: (job: TNotify) => Promise<void>;
  /** Carries out the workflows' own effects by type (see workflowEffectRunners), e.g. a grant's `openRevoke`. */
  effects?: Record<string, (effect: WorkflowEffectJob) => Promise<void>>;
  /** Stamps the events the workers deliver (step results, timers) with their time. */
  clock?: Clock;
  logger: Logger;
}

export interface Workers {
  close(): Promise<void>;
}

export function startWorkers<TChat, TNotify>(deps: WorkerDeps<TChat, TNotify>): Workers {
  const { queues, settings, engine, runStep, guards, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now().toISOString();
  const shutdown = new AbortController();
  // Every running step listens for the shutdown (its waits and sleeps): more than Node's default
  // of 10 listeners is normal at a stepConcurrency above 10, not a leak.
  setMaxListeners(0, shutdown.signal);
  const common = {
    name: replicaName(),
    connection: queues.connection,
    prefix: queues.prefix,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    // A job is failed only after it stalled twice (two replicas died holding it, or one's event loop
    // stood still past its lock and then one died); the reconciler brings a failed step job back.
    maxStalledCount: 2,
  };

  /**
   * Puts a step job back at the head of the wait list, its lock released, so another replica takes
   * it at once. Neither its BullMQ attempts nor the workflow's attempt number change: it was not tried.
   */
  async function handBack(job: Job, token: string | undefined, log: Logger): Promise<never> {
    await job.moveToWait(token);
    log.info('stopping: step handed back to the queue for another replica');
    throw new WaitingError();
  }

  type StepJobData = { requestId: string; step: string; attempt: number; carrier?: string };
  const { runAndReport, reportFailure, carryOn } = createStepCarrier({
    engine,
    runStep,
    guards,
    stopping: shutdown.signal,
    settings,
    now,
  });

  async function processStep(job: Job<StepJobData>, token?: string) {
    const { requestId, step, attempt, carrier } = job.data;
    const log = logger.child({ requestId, step, jobId: job.id });
    // Taken while the workers were closing: not started here at all.
    if (shutdown.signal.aborted) return handBack(job, token, log);
    const view = await engine.read(requestId);
    const attempts = (view?.context as { attempts?: Record<string, number> } | undefined)?.attempts ?? {};
    if (!view || view.state !== step || attempts[step] !== attempt) {
      log.info({ state: view?.state }, 'stale step job skipped');
      return 'stale';
    }
    // A guard whose carrier is alive: the carrier runs (or just ran) the step. Look again later.
    if (carrier && (await guards.carrierActive(carrier))) {
      await job.moveToDelayed(Date.now() + settings.stalledIntervalMs, token);
      throw new DelayedError();
    }
    let reported: Awaited<ReturnType<typeof runAndReport>>;
    try {
      const ctx = { workflow: view.request.workflow, requestId, step, attempt, context: view.context };
      reported = await runAndReport(ctx, job.id!);
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'HANDED_BACK') return handBack(job, token, log);
      const maxAttempts = job.opts.attempts ?? 1;
      if (e.retryable && job.attemptsMade + 1 < maxAttempts) {
        log.warn({ code: e.code, attempt: job.attemptsMade + 1 }, 'step failed; will retry with backoff');
        throw e;
      }
      log.error({ code: e.code, hint: e.hint, err: e }, 'step failed');
      await reportFailure(requestId, step, attempt, e);
      return 'failed';
    }
    await carryOn({ id: job.id!, workflow: view.request.workflow, requestId }, reported.moved, log);
    return reported.status;
  }

  const workers = [
    new Worker(queueNames.steps, processStep, { ...common, concurrency: settings.stepConcurrency }),
    new Worker(
      queueNames.events,
      async (job: Job) => {
        if (job.name !== 'timer') {
          const run = deps.effects?.[job.name];
          if (!run) throw new AppError('INTERNAL', `No handler for ${job.name} effects is wired.`);
          return run(job.data as WorkflowEffectJob);
        }
        const { requestId, event } = job.data as { requestId: string; event: { type: string } };
        await engine.deliver(requestId, { ...event, at: now() });
      },
      { ...common, concurrency: 4 },
    ),
    new Worker(
      queueNames.chat,
      async (job: Job<TChat>) =>
        deps.handleChat(job.data, { lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
      {
        ...common,
        concurrency: 8,
      },
    ),
    new Worker(queueNames.notify, async (job: Job<TNotify>) => deps.notify(job.data), {
      ...common,
      concurrency: 4,
    }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) =>
      logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job attempt failed'),
    );
    w.on('error', (err) => logger.error({ queue: w.name, err }, 'worker error'));
    w.on('stalled', (jobId) =>
      logger.warn({ queue: w.name, jobId }, 'job taken back from a replica that stopped renewing its lock'),
    );
  }
  return {
    async close() {
      // Waiting steps end at once (their watches are aborted) and re-arm; running steps finish the
      // call they are in and are handed back. Chat lines, timers and notifications run to their end:
      // they are short, and not idempotent (a chat line run twice opens two requests).
      shutdown.abort();
      logger.info('workers closing: running steps finish the call they are in and are handed back');
      let timer: NodeJS.Timeout | undefined;
      const graceEnded = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), settings.shutdownGraceMs);
      });
      const closed = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      if ((await Promise.race([closed, graceEnded])) === 'timeout') {
        // Whatever still runs (a call slower than the grace) is re-delivered once its lock expires,
        // within lockDuration + stalledInterval, as after a crash: steps are idempotent.
        logger.warn(
          { graceMs: settings.shutdownGraceMs },
          'workers did not close within the grace period; leaving',
        );
      }
      clearTimeout(timer);
    },
  };
}
