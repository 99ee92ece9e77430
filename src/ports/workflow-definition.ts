/**
 * What the engine needs to know about a workflow: its pure machine and the version its snapshots carry.
 * A port, so workflows can describe themselves without importing the engine.
 */
import type { AnyStateMachine } from 'xstate';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Store } from '../store/store.ts';
import type { Engine } from '../engine/engine.ts';

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
  /**
   * The effects this workflow's machine describes beyond the ones every workflow has (`runStep`,
   * `notify`, `scheduleTimer`, `cancelTimer`), by effect type. Each runs as one job on the events
   * queue, at most one per request and type (see workflowEffectJobId).
   */
  effects?: Record<string, EffectHandler>;
}

/** An effect of a workflow's own, as its job carries it: its params, and the request that asked for it. */
export interface WorkflowEffectJob {
  type: string;
  requestId: string;
  [param: string]: unknown;
}

/** What a workflow's effect handler may use: it changes requests only through the engine. */
export interface EffectServices {
  engine: Engine;
  store: Store;
  clock: Clock;
  logger: Logger;
}

export type EffectHandler = (effect: WorkflowEffectJob, services: EffectServices) => Promise<void>;

/** An effect the engine can put back: a timer (by name, and `seq` for a repeating one) or one of the workflow's own. */
export type PendingEffect =
  | { type: 'scheduleTimer'; name: string; delayMs: number; seq?: number }
  | { type: string; [param: string]: unknown };
