/**
 * Rebuilds the queues from Postgres, the system of record: every open request gets the jobs its
 * state needs (its current step; the timers and follow-ups its workflow says it waits on) under
 * the same deterministic job ids, so jobs still in Redis are left alone and jobs lost with Redis
 * (FLUSHALL, a new instance) come back — timers with the delay that is left, not the full one.
 * Chat lines recorded but never handled are queued again too.
 * Runs at start-up and periodically.
 */
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../store/store.ts';
import type { Engine } from './engine.ts';
import { stepJobId, timerJobId, workflowEffectJobId } from './job-ids.ts';
import type { OutboxDispatcher } from './outbox-dispatcher.ts';
import type { Queues } from './queues.ts';
import type { PendingEffect, WorkflowDefinition } from '../ports/workflow-definition.ts';

export interface Reconciler {
  /** Returns how many jobs had to be put back. */
  reconcile(): Promise<number>;
}

export function createReconciler(deps: {
  store: Store;
  engine: Engine;
  queues: Queues;
  dispatcher: OutboxDispatcher;
  clock: Clock;
  logger: Logger;
  workflows: WorkflowDefinition[];
  /** Queues again the chat lines Redis lost (see src/chat/requeue-lost-chat-lines.ts). */
  chatLines?: { reconcile(): Promise<number> };
}): Reconciler {
  const { store, engine, queues, dispatcher, clock, logger } = deps;
  const byName = new Map(deps.workflows.map((w) => [w.name, w]));
  // Every state a request can be left in with work pending: all but the final ones.
  const openStates = [
    ...new Set(
      deps.workflows.flatMap((w) =>
        Object.entries((w.machine.config.states ?? {}) as Record<string, { type?: string }>)
          .filter(([, state]) => state.type !== 'final')
          .map(([name]) => name),
      ),
    ),
  ];
  const jobIdOf = (requestId: string, effect: PendingEffect) =>
    effect.type === 'scheduleTimer'
      ? timerJobId(requestId, String(effect.name), effect.seq === undefined ? undefined : Number(effect.seq))
      : workflowEffectJobId(requestId, effect.type);

  return {
    async reconcile() {
      // First: people are waiting on these.
      const requeuedLines = (await deps.chatLines?.reconcile()) ?? 0;
      let restored = 0;
      const open = await store.listRequests({ states: openStates, limit: 10_000 });
      for (const request of open) {
        const view = await engine.read(request.id);
        if (!view) continue;
        const context = view.context as { attempts?: Record<string, number> };
        // A state that runs a step counts its attempts under its own name.
        const attempt = context.attempts?.[view.state];
        if (attempt !== undefined) {
          const job = await queues.steps.getJob(stepJobId(request.id, view.state, attempt));
          // A step job ends failed in BullMQ only when no worker brought it to an end (it stalled past
          // maxStalledCount as replicas died holding it, or its result could not be recorded): it is
          // made again rather than left stuck; the step re-reads before it writes.
          if (job && (await job.isFailed())) {
            logger.warn(
              { requestId: request.id, step: view.state, reason: job.failedReason },
              'step job had failed without running to its end; queued again',
            );
            await job.remove();
          } else if (job) continue;
          await dispatcher.enqueue(
            { type: 'runStep', requestId: request.id, step: view.state, attempt, delayMs: 0 },
            `${request.id}.reconcile.${view.state}.${attempt}`,
          );
          restored++;
          continue;
        }
        const pending =
          byName
            .get(view.request.workflow)
            ?.pendingEffects?.(
              view.state,
              view.context as never,
              clock.now().toISOString(),
              request.updatedAt.toISOString(),
            ) ?? [];
        for (const effect of pending) {
          const jobId = jobIdOf(request.id, effect);
          if (await queues.events.getJob(jobId)) continue;
          await dispatcher.enqueue({ ...effect, requestId: request.id }, `${request.id}.reconcile.${jobId}`);
          restored++;
        }
      }
      if (restored > 0)
        logger.warn({ restored }, 'queues rebuilt from Postgres: jobs were missing from Redis');
      return restored + requeuedLines;
    },
  };
}
