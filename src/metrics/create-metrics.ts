/**
 * Prometheus metrics on a registry of our own (no global default registry): request state
 * changes, step durations, cloud and Kubernetes calls by action and outcome, chat intake latency,
 * and queue depth. Everything but queue depth is counted as it happens, so a scrape costs the same
 * with ten requests or a million and asks the database nothing; queue depth is BullMQ's own
 * counts, read from Redis when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StateChange } from '../engine/engine.ts';
import type { AuditEntry } from '../store/store.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { WorkflowModule } from '../../workflows/workflow-module.ts';
import { atRest, phaseOf } from '../../workflows/workflow-module.ts';

export interface MetricsSources {
  /** Job counts by queue and BullMQ state. */
  queueDepth(): Promise<Record<string, Record<string, number>>>;
  /** What each workflow's states mean, to count requests coming to rest (default: workflows/index.ts). */
  workflows?: readonly Pick<WorkflowModule, 'name' | 'phases'>[];
}

export interface Metrics {
  registry: Registry;
  /** Counts the outcome rows of audited calls: one row per call, whatever the outcome. */
  observeAudit(entries: readonly AuditEntry[]): void;
  /** Counts a request opened, or moved from one state to another, by this process. */
  observeStateChange(change: StateChange): void;
  observeStep(workflow: string, step: string, outcome: string, seconds: number): void;
  observeChatIntake(platform: string, seconds: number): void;
  /** Counts one drift sweep this process ran, and what it found. */
  observeDriftSweep(summary: { grants: number; drifted: number; told: number; failed: number }): void;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const workflows = new Map((sources.workflows ?? workflowRegistry).map((w) => [w.name, w]));
  const restingPhase = (workflow: string, state: string | null) => {
    const w = workflows.get(workflow);
    const phase = w && state !== null ? phaseOf(w, state) : undefined;
    return phase && atRest(phase) ? phase : undefined;
  };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sgops_process_' });
  // Counters, not a gauge of requests by state: each replica counts the changes it commits, and
  // the sum over replicas is right; a per-replica gauge of a shared table could not be.
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const opened = counter('sgops_requests_opened_total', 'Requests opened by this process, by workflow.', [
    'workflow',
  ]);
  const transitions = counter(
    'sgops_request_transitions_total',
    'Requests moved from one state to another by this process, by workflow, from and to.',
    ['workflow', 'from', 'to'],
  );
  const settled = counter(
    'sgops_requests_settled_total',
    'Requests that came to rest (a state their workflow calls ok or failed) by this process, by workflow ' +
      'and phase; a time-bound grant rests once in force and again when it ends.',
    ['workflow', 'phase'],
  );
  new Gauge({
    name: 'sgops_queue_jobs',
    help: 'BullMQ jobs by queue and state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, counts] of Object.entries(await sources.queueDepth())) {
        for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
      }
    },
  });
  const calls = counter(
    'sgops_calls_total',
    'Tencent Cloud and Kubernetes calls by system, action and outcome (ok or the error code).',
    ['system', 'action', 'outcome'],
  );
  const steps = new Histogram({
    name: 'sgops_step_duration_seconds',
    help: 'Workflow step runs by workflow, step and outcome (done, wait, or the error code).',
    labelNames: ['workflow', 'step', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const intake = new Histogram({
    name: 'sgops_chat_intake_seconds',
    help: 'Time to record and queue a chat line: what a platform waits for before the acknowledgement.',
    labelNames: ['platform'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const driftSweeps = counter('sgops_drift_sweeps_total', 'Drift sweeps run by this process.', []);
  const driftGrants = counter(
    'sgops_drift_grants_total',
    'Grants looked at by this process’s drift sweeps, by result: as approved, drifted, or failed (not looked at).',
    ['result'],
  );
  const driftTold = counter(
    'sgops_drift_reports_total',
    'Drift findings that were news (a change found, or put right) and were told to people.',
    [],
  );
  const lastDrifted = new Gauge({
    name: 'sgops_drift_last_sweep_drifted',
    help: 'Grants found not as approved by the last drift sweep this process ran (take the max over replicas).',
    registers: [registry],
  });
  return {
    registry,
    observeDriftSweep({ grants, drifted, told, failed }) {
      driftSweeps.inc();
      driftGrants.inc({ result: 'as approved' }, grants - drifted);
      driftGrants.inc({ result: 'drifted' }, drifted);
      driftGrants.inc({ result: 'failed' }, failed);
      driftTold.inc(told);
      lastDrifted.set(drifted);
    },
    observeAudit(entries) {
      for (const e of entries) {
        if (e.kind === 'outcome')
          calls.inc({ system: e.system, action: e.action, outcome: e.outcome ?? 'unknown' });
      }
    },
    observeStateChange({ workflow, from, to }) {
      if (from === null) opened.inc({ workflow });
      else transitions.inc({ workflow, from, to });
      const phase = restingPhase(workflow, to);
      if (phase && !restingPhase(workflow, from)) settled.inc({ workflow, phase });
    },
    observeStep: (workflow, step, outcome, seconds) => steps.observe({ workflow, step, outcome }, seconds),
    observeChatIntake: (platform, seconds) => intake.observe({ platform }, seconds),
  };
}
