/**
 * How a step job runs its step and reports it, and carries on with the steps its request moves to
 * next while one is due now (see src/engine/carried-steps.ts): every way out of a carried step
 * leaves it with its guard job, dropped once the step has reported, released when this replica
 * gives the step up.
 */
import type { Logger } from 'pino';
import { toAppError } from '../errors.ts';
import type { AppError } from '../errors.ts';
import type { Engine, Transitioned } from './engine.ts';
import type { StepGuards } from './carried-steps.ts';
import { createStepCalls } from './step-calls.ts';
import type { StepRunner, WorkerSettings } from './workers.ts';

/** Carried steps in a row per job, a bound against a workflow that would loop without waiting. */
const maxCarried = 32;

export function createStepCarrier(deps: {
  engine: Engine;
  runStep: StepRunner;
  guards: StepGuards;
  /** Aborted when the workers close. */
  stopping: AbortSignal;
  settings: Pick<WorkerSettings, 'lockDurationMs' | 'stalledIntervalMs' | 'stepBackoffMs'>;
  now: () => string;
}) {
  const { engine, runStep, guards, stopping, settings, now } = deps;
  // A guard first looks when a dead carrier's lock has lapsed.
  const guardDelayMs = settings.lockDurationMs;

  /** Runs one step and tells the engine what came of it; a step due next is offered to `carrierJobId`. */
  async function runAndReport(
    ctx: { workflow: string; requestId: string; step: string; attempt: number; context: unknown },
    carrierJobId: string,
  ) {
    const calls = createStepCalls(stopping);
    const result = await runStep({ ...ctx, signal: stopping, calls }).catch(async (error: unknown) => {
      // Only once every call this replica made for the step has answered may another replica run it.
      if (toAppError(error).code === 'HANDED_BACK') await calls.settled();
      throw error;
    });
    const { step, attempt } = ctx;
    const event =
      result.status === 'done'
        ? { type: 'step.done', step, attempt, output: result.output, at: now() }
        : { type: 'step.wait', step, attempt, delayMs: result.delayMs, progress: result.progress, at: now() };
    const moved = await engine.deliver(ctx.requestId, event, undefined, { carrierJobId, guardDelayMs });
    return { status: result.status, moved };
  }

  async function reportFailure(requestId: string, step: string, attempt: number, e: AppError) {
    await engine.deliver(requestId, { type: 'step.failed', step, attempt, error: e.toJSON(), at: now() });
  }

  /**
   * Carries on with the steps the request moves to next, as long as one is due now (see
   * src/engine/carried-steps.ts). Every way out leaves the step with its guard: dropped once the
   * step has reported, released when this replica gives the step up.
   */
  async function carryOn(
    job: { id: string; workflow: string; requestId: string },
    moved: Transitioned,
    log: Logger,
  ) {
    const { requestId, workflow } = job;
    let next = moved;
    for (let hops = 0; next.carried; hops++) {
      const { step, attempt, guardJobId } = next.carried;
      if (stopping.aborted || hops >= maxCarried) {
        await guards.release(guardJobId, 0);
        return;
      }
      try {
        next = (await runAndReport({ workflow, requestId, step, attempt, context: next.context }, job.id))
          .moved;
      } catch (error) {
        const e = toAppError(error);
        if (e.code === 'HANDED_BACK') {
          log.info({ step }, 'stopping: carried step handed to its guard job');
          await guards.release(guardJobId, 0);
        } else if (e.retryable) {
          // The guard job retries it, with its own attempts and backoff.
          log.warn({ step, code: e.code }, 'carried step failed; its guard job retries it');
          await guards.release(guardJobId, settings.stepBackoffMs);
        } else {
          log.error({ step, code: e.code, hint: e.hint, err: e }, 'step failed');
          await reportFailure(requestId, step, attempt, e);
          void guards.drop(guardJobId).catch(() => undefined);
        }
        return;
      }
      // The step has reported; a guard that fires anyway finds it stale.
      void guards.drop(guardJobId).catch(() => undefined);
    }
  }

  return { runAndReport, reportFailure, carryOn };
}
