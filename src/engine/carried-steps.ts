/**
 * A step job that moves its request on to another step due now carries on with that step itself,
 * instead of handing it over through the queue: no job hand-off, no second read of the request
 * (issue 21: each hand-off cost 10–40 ms of a grant's approve → done).
 *
 * The next step is still enqueued under its own deterministic id, as a *guard*: delayed by
 * lockDuration and marked with its carrier's job id, so the reconciler and the outbox see the
 * step's job as they always did. Only if the carrier dies does the guard run the step: when it
 * fires while its carrier's lock is held it looks again after stalledInterval (so a dead
 * carrier's step is taken up within lockDuration + stalledInterval, as a stalled job is); once the
 * carrier has moved the request on, it is a stale job and skipped. A carrier that stops carrying
 * (shutting down, a failed attempt to retry) releases the guard, which then runs the step.
 */
import type { Queue } from 'bullmq';

/** A step the carrier runs itself, and the id of its guard job. */
export interface CarriedStep {
  step: string;
  attempt: number;
  guardJobId: string;
}

export interface StepGuards {
  /** Whether the job carrying a step is still held by a live worker. */
  carrierActive(carrierJobId: string): Promise<boolean>;
  /** The carried step ended here: its guard is no longer needed. */
  drop(guardJobId: string): Promise<void>;
  /** The carrier gives the step up: its guard runs it after `delayMs` (0: at once, on any replica). */
  release(guardJobId: string, delayMs: number): Promise<void>;
}

export function createStepGuards(steps: Queue): StepGuards {
  return {
    async carrierActive(carrierJobId) {
      // The carrier's BullMQ lock (the key its Lua scripts use): renewed every lockDuration / 2
      // while its worker lives, deleted when the job ends, lapsed within lockDuration of a death.
      const backend = steps.getBackend();
      const client = await backend.client;
      return (await client.get(`${backend.toKey(carrierJobId)}:lock`)) !== null;
    },
    async drop(guardJobId) {
      // A guard a worker has just taken is locked and stays; it finds its step stale and ends.
      await steps.remove(guardJobId);
    },
    async release(guardJobId, delayMs) {
      const guard = await steps.getJob(guardJobId);
      if (!guard) return;
      try {
        // No longer carried: when it fires, it runs the step rather than wait for its old carrier.
        const { carrier: _carrier, ...data } = guard.data as Record<string, unknown>;
        await guard.updateData(data);
        if (delayMs > 0) await guard.changeDelay(delayMs);
        else await guard.promote();
      } catch (error) {
        // Only a guard no longer delayed refuses: it already fired, and runs the step.
        if (await guard.isDelayed()) throw error;
      }
    },
  };
}
