/**
 * Turns committed outbox rows into BullMQ jobs with deterministic ids, then marks them dispatched.
 * Runs right after each commit and periodically for rows a crash left behind: both are safe,
 * because adding a job whose id exists is a no-op.
 */
import type { Logger } from 'pino';
import type { OutboxRow, Store } from '../store/store.ts';
import type { Queues } from './queues.ts';
import { stepJobId, timerJobId, workflowEffectJobId } from './job-ids.ts';
import { createInFlightWork } from '../domain/in-flight-work.ts';
import type { CarriedStep } from './carried-steps.ts';

export interface DispatchSettings {
  stepAttempts: number;
  stepBackoffMs: number;
}

/**
 * The step job that asks to carry on with its request's next step in the same job (see
 * src/engine/carried-steps.ts), and how long that step's guard job waits before it fires.
 */
export interface CarryOffer {
  carrierJobId: string;
  guardDelayMs: number;
}

export interface OutboxDispatcher {
  /**
   * Enqueues the rows' effects. With `carry`, a step due now is enqueued as a guard job instead
   * (it fires only if the carrier dies) and returned: the caller runs it itself.
   */
  dispatch(rows: OutboxRow[], carry?: CarryOffer): Promise<CarriedStep | undefined>;
  /** Re-dispatches rows left undispatched (after a crash between commit and enqueue). */
  sweep(): Promise<number>;
  /** Enqueues one effect under its deterministic job id (a no-op when that job exists). */
  enqueue(effect: EffectRow, key: string): Promise<void>;
  /** Waits for the dispatched marks still being written (before the store closes). */
  settle(): Promise<void>;
}

export type EffectRow = { type: string; requestId: string; [k: string]: unknown };

const seqOf = (effect: EffectRow): number | undefined =>
  effect.seq === undefined || effect.seq === null ? undefined : Number(effect.seq);

export function createOutboxDispatcher(deps: {
  store: Store;
  queues: Queues;
  settings: DispatchSettings;
  logger: Logger;
}): OutboxDispatcher {
  const { store, queues, settings, logger } = deps;
  const marking = createInFlightWork();

  /**
   * Marking rows dispatched is bookkeeping for the sweep, so nobody waits for it: a mark that is lost
   * makes the sweep enqueue the row again, which is a no-op for a job that exists and a skipped
   * stale step for one that already ran.
   */
  function markInBackground(ids: number[]): void {
    marking.track(
      store.markOutboxDispatched(ids).catch((error: unknown) => {
        logger.warn(
          { err: error, ids },
          'marking outbox rows dispatched failed; the sweep will re-send them',
        );
      }),
    );
  }

  async function enqueue(effect: EffectRow, key: string, carry?: CarryOffer): Promise<void> {
    const { requestId } = effect;
    switch (effect.type) {
      case 'runStep': {
        const step = String(effect.step);
        const attempt = Number(effect.attempt);
        await queues.steps.add(
          step,
          { requestId, step, attempt, ...(carry ? { carrier: carry.carrierJobId } : {}) },
          {
            jobId: stepJobId(requestId, step, attempt),
            delay: carry ? carry.guardDelayMs : Number(effect.delayMs ?? 0),
            attempts: settings.stepAttempts,
            backoff: { type: 'exponential', delay: settings.stepBackoffMs, jitter: 0.5 },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        );
        return;
      }
      case 'notify':
        await queues.notify.add('notify', effect, {
          jobId: key,
          attempts: 8,
          backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600 },
        });
        return;
      case 'scheduleTimer': {
        const name = String(effect.name);
        const seq = seqOf(effect);
        await queues.events.add(
          'timer',
          { requestId, event: { type: `timer.${name}`, ...(seq === undefined ? {} : { seq }) } },
          {
            jobId: timerJobId(requestId, name, seq),
            delay: Number(effect.delayMs),
            // A timer whose delivery fails (Postgres away) is tried again rather than lost.
            attempts: 8,
            backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
            removeOnComplete: true,
          },
        );
        return;
      }
      case 'cancelTimer':
        await queues.events.remove(timerJobId(requestId, String(effect.name), seqOf(effect)));
        return;
      default:
        // A workflow's own effect (the engine records only those its workflow handles): a job named
        // after its type, which the events worker hands to the workflow's handler.
        await queues.events.add(effect.type, effect, {
          jobId: workflowEffectJobId(requestId, effect.type),
          attempts: 8,
          backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        });
        return;
    }
  }

  return {
    async dispatch(rows, carry) {
      const done: number[] = [];
      // At most one step is carried on: the first due now (a workflow runs one step at a time).
      const carriedRow = carry
        ? rows.find((r) => {
            const e = r.effect as EffectRow;
            return e.type === 'runStep' && Number(e.delayMs ?? 0) === 0;
          })
        : undefined;
      let carried: CarriedStep | undefined;
      for (const row of rows) {
        try {
          const effect = row.effect as EffectRow;
          if (row === carriedRow && carry) {
            await enqueue(effect, row.key, carry);
            const step = String(effect.step);
            const attempt = Number(effect.attempt);
            const guardJobId = stepJobId(effect.requestId, step, attempt);
            // A sweep may have queued the row first, as a plain job: adding then did nothing, and
            // that job runs the step. Carry it only when the job under its id is our guard.
            const guard = await queues.steps.getJob(guardJobId);
            if ((guard?.data as { carrier?: string } | undefined)?.carrier === carry.carrierJobId)
              carried = { step, attempt, guardJobId };
          } else await enqueue(effect, row.key);
          done.push(row.id);
        } catch (error) {
          // Left undispatched on purpose: the sweep retries it, the request is never lost.
          logger.warn(
            { err: error, requestId: row.requestId, key: row.key },
            'outbox dispatch failed; sweep will retry',
          );
        }
      }
      if (done.length > 0) markInBackground(done);
      return carried;
    },
    enqueue,
    settle: () => marking.settled(),
    async sweep() {
      const rows = await store.listUndispatchedOutbox(500);
      if (rows.length > 0) await this.dispatch(rows);
      return rows.length;
    },
  };
}
