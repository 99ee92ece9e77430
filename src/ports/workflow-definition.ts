/**
 * What the engine needs to know about a workflow: its pure machine and the version its snapshots carry.
 * A port, so workflows can describe themselves without importing the engine.
 */
import type { AnyStateMachine } from 'xstate';

export interface WorkflowDefinition {
  name: string;
  machine: AnyStateMachine;
  version: number;
  /**
   * Brings a snapshot saved by an older machine version to `version`, or returns undefined when it
   * cannot: then the request is refused with SNAPSHOT_VERSION rather than misread.
   */
  migrate?: (fromVersion: number, snapshot: unknown) => unknown;
  /**
   * The delayed effects (timers, a follow-up request to open) a request resting in `state` waits
   * on, with the delay left at `now`: the reconciler puts back those Redis lost. Steps are found
   * without it (a state that runs a step counts attempts under its name).
   */
  pendingEffects?: (state: string, context: never, now: string, since: string) => PendingEffect[];
}

/** An effect the engine can put back: a timer (by name, and `seq` for a repeating one) or a revoke to open. */
export type PendingEffect =
  | { type: 'scheduleTimer'; name: string; delayMs: number; seq?: number }
  | { type: 'openRevoke'; revokeRequestId: string; reason: string; requestedAt: string };
