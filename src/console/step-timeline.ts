/**
 * A request's audited calls grouped under the step that made them, in the order they ran, each
 * group with when it started and ended and how long it took — like a CI run's jobs. The engine
 * records no row when a step starts or ends, so a step's times are those of its calls: from the
 * first call's start to the last call's end. A step run again (a retry) is a new group; the
 * people's decisions between steps (step null) are groups of their own.
 */
import type { AuditCall } from './audit-timeline.ts';

export interface StepRun {
  /** The state that ran, or null for people's decisions (approve, deny, cancel …). */
  step: string | null;
  startedAt: string;
  /** Null while a call of it is still in flight. */
  endedAt: string | null;
  durationMs: number | null;
  /** `ok` when every call ended ok (or was accepted), else the first other outcome; null while running. */
  outcome: string | null;
  calls: AuditCall[];
}

const fine = new Set(['ok', 'accepted', 'asked']);

export function stepTimeline(audit: readonly AuditCall[]): StepRun[] {
  const runs: StepRun[] = [];
  for (const call of audit) {
    const last = runs.at(-1);
    if (last && last.step === call.step) last.calls.push(call);
    else
      runs.push({
        step: call.step,
        startedAt: call.at,
        endedAt: null,
        durationMs: null,
        outcome: null,
        calls: [call],
      });
  }
  for (const run of runs) {
    const pending = run.calls.some((c) => c.outcome === null);
    const end = Math.max(...run.calls.map((c) => Date.parse(c.at) + (c.durationMs ?? 0)));
    run.endedAt = pending ? null : new Date(end).toISOString();
    run.durationMs = pending ? null : end - Date.parse(run.startedAt);
    run.outcome = pending
      ? null
      : (run.calls.map((c) => c.outcome!).find((o) => !fine.has(o) && !o.startsWith('refused')) ??
        run.calls.map((c) => c.outcome!).find((o) => o.startsWith('refused')) ??
        'ok');
  }
  return runs;
}
