/**
 * engine: up to 500 grant workflows end to end against stand-ins that cost nothing (emulator with
 * zero latency, its rate limits off and its quotas raised; sgops' own rate limiter off; one-replica
 * super-node Deployments, one per namespace), next to raw BullMQ no-op jobs at the same
 * concurrency in the same run. The policy approves every grant itself (`autoApprove: always`), as
 * the issue asks, so nobody waits on a person.
 */
import { samplePolicy } from '../../test/helpers/test-world.ts';
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { bullmqNoopJobsPerSecond } from '../harness/bullmq-baseline.ts';
import { cpuMsOf } from '../harness/cpu-ms.ts';
import { round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { openSchemaReader, terminalStates } from '../harness/schema-reader.ts';
import type { SchemaReader } from '../harness/schema-reader.ts';
import { startStandIns } from '../harness/stand-ins.ts';

const workflows = Number(process.env.SGOPS_BENCH_ENGINE_WORKFLOWS ?? 500);
const stepConcurrency = 8;
/** Open requests at once: 5 per step worker keeps every worker busy without a breadth-first backlog. */
const inFlight = 40;
/** Everything after setup must end by then, leaving room for teardown within the 2 minutes. */
const scenarioEndMs = 95_000;

const apps = Array.from({ length: workflows }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  // One namespace per app: the simulator re-lists a namespace's pods per ReplicaSet on every pass.
  return { app: `app-${n}`, namespace: `eng-${n}` };
});

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const engineScenario: Scenario = {
  name: 'engine',
  title: `${workflows} grant workflows end to end vs raw BullMQ no-op jobs`,
  async run(log): Promise<ScenarioOutcome> {
    const scenarioStarted = Date.now();
    const standIns = await startStandIns({
      quotas: { groupsPerRegion: workflows + 100, rulesPerDirection: 2 * workflows + 200 },
      cloudRateLimits: false,
      podStartLatencyMs: 20,
    });
    let sgops: BenchApp | null = null;
    let reader: SchemaReader | null = null;
    try {
      const baseline = await bullmqNoopJobsPerSecond({
        jobs: 5000,
        concurrency: stepConcurrency,
        timeoutMs: 30_000,
      });
      log(`raw BullMQ: ${baseline.jobsPerSecond.toFixed(0)} no-op jobs/s at concurrency ${stepConcurrency}`);

      const input = benchConfigInput('engine', standIns, {
        tencentcloud: {
          secretId: 'AKIDsgopsTEST0000000001',
          secretKey: 'test-secret-key-never-logged',
          region: 'ap-guangzhou',
          endpoint: standIns.cloudUrl,
          rateLimit: { enabled: false },
        },
        policy: {
          ...samplePolicy,
          rules: [{ ...samplePolicy.rules[0]!, namespaces: ['*'], autoApprove: { when: 'always' as const } }],
        },
        workflow: {
          stepConcurrency,
          stepAttempts: 20,
          stepBackoffMs: 50,
          pollDelayMs: 100,
          approvalTimeoutMs: 3_600_000,
        },
      });
      sgops = await startBenchApp(input);
      const app = sgops.app;
      reader = await openSchemaReader(sgops.schema);

      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const standInsCpuBefore = await standIns.cpuMs();
      const deadline = scenarioStarted + scenarioEndMs;
      let asked = 0;

      // Feed grants so that at most `inFlight` are open at once (people do not all ask in the same
      // second): every workflow then finishes at the engine's pace, and what fits in the time is counted.
      let states = new Map<string, string>();
      let endedAt = started;
      const waiterSamples: number[] = [];
      for (;;) {
        states = await reader.states();
        waiterSamples.push(await reader.auditHeadWaiters());
        const ended = [...states.values()].filter((s) => terminalStates.has(s)).length;
        const toAsk = apps.slice(asked, asked + Math.max(0, inFlight - (asked - ended)));
        asked += toAsk.length;
        // Each app is deployed just before it is asked for: the simulator's controller passes grow
        // with every object it holds, and 500 idle Deployments would make it, not sgops, the bottleneck.
        if (toAsk.length > 0) await standIns.deploy({ apps: toAsk, replicas: 1, timeoutMs: 20_000 });
        await inBatches(toAsk, 20, ({ app: name, namespace }) =>
          app.console.say('alice', `grant pod SG to app ${name} in ${namespace}`),
        );
        endedAt = performance.now();
        if (ended === workflows) break;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const wallMs = endedAt - started;
      // Where the two cores went: this process (sgops, plus the feeder's few console lines) and the
      // stand-ins; Postgres and Redis are not counted on either side of the comparison.
      const sgopsCpuMs = cpuMsOf(process.cpuUsage(cpuBefore));
      const standInsCpuMs = (await standIns.cpuMs()) - standInsCpuBefore;
      const counts: Record<string, number> = {};
      for (const s of states.values()) counts[s] = (counts[s] ?? 0) + 1;
      const done = counts['done'] ?? 0;
      log(`after ${(wallMs / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

      // Step jobs kept by BullMQ (removeOnComplete by age): their processing times and what they returned.
      const jobs = await app.queues.steps.getJobs(['completed'], 0, -1);
      const counted = jobs.filter((j) => j.returnvalue !== 'stale' && j.processedOn && j.finishedOn);
      const stale = jobs.length - counted.length;
      const jobMs = counted.reduce((sum, j) => sum + (j.finishedOn! - j.processedOn!), 0);
      const failedAttempts = counted.reduce((sum, j) => sum + Math.max(0, j.attemptsMade - 1), 0);
      const port = await reader.portCalls();
      const auditRows = await reader.auditRows();
      const meanWaiters = waiterSamples.reduce((a, b) => a + b, 0) / Math.max(1, waiterSamples.length);
      const portByAction = await reader.portCallsByAction();
      const steps = counted.length;
      const sgopsCpuPerStep = sgopsCpuMs / Math.max(1, steps);
      const standInsCpuPerStep = standInsCpuMs / Math.max(1, steps);
      const stepsPerS = (steps / wallMs) * 1000;
      const workflowsPerS = (done / wallMs) * 1000;
      const engineMsPerStep = steps > 0 ? (jobMs - port.ms) / steps : Number.NaN;
      const byStep: Record<string, number> = {};
      for (const j of counted) byStep[j.name] = (byStep[j.name] ?? 0) + 1;

      const notes = [
        `${done} of ${workflows} workflows done in ${(wallMs / 1000).toFixed(1)} s (states ${JSON.stringify(counts)})`,
        `steps = completed step jobs (recreatePods re-arms count once per run), ${stale} stale jobs skipped, ${failedAttempts} retried attempts`,
        `engine ms/step = (Σ step job processing time − Σ audited port call time) / steps; port calls ${port.calls}, ${round(port.ms / Math.max(1, port.calls))} ms each`,
        `CPU per step: sgops ${round(sgopsCpuPerStep, 2)} ms, stand-ins ${round(standInsCpuPerStep, 2)} ms; a no-op BullMQ job ${round(baseline.cpuMsPerJob, 3)} ms (worker process only, Redis and Postgres not counted)`,
        `connections waiting for the audit_head row lock, sampled every ~200 ms: mean ${round(meanWaiters, 2)} of ${stepConcurrency} step workers`,
        `grants fed ${inFlight} open at a time; the counts cover what finished within the ${scenarioEndMs / 1000} s window`,
        'approvals: the policy auto-approves every grant (autoApprove: always), so no step waits on a person',
      ];
      if (done < workflows)
        notes.push(`not all ${workflows} workflows fit in the time budget: figures are over what finished`);
      return {
        figures: {
          workflows_requested: workflows,
          workflows_done: done,
          wall_s: round(wallMs / 1000),
          workflows_per_s: round(workflowsPerS, 3),
          steps: steps,
          steps_per_s: round(stepsPerS, 2),
          steps_by_name: byStep,
          bullmq_noop_jobs_per_s: round(baseline.jobsPerSecond, 1),
          ratio_to_bullmq: round(stepsPerS / baseline.jobsPerSecond, 4),
          engine_ms_per_step: round(engineMsPerStep),
          step_job_ms_mean: round(jobMs / Math.max(1, steps)),
          port_ms_per_step: round(port.ms / Math.max(1, steps)),
          port_calls_by_action: portByAction,
          sgops_cpu_ms_per_step: round(sgopsCpuPerStep, 2),
          stand_ins_cpu_ms_per_step: round(standInsCpuPerStep, 2),
          bullmq_cpu_ms_per_job: round(baseline.cpuMsPerJob, 3),
          cpu_ratio_to_bullmq: round(baseline.cpuMsPerJob / Math.max(1e-9, sgopsCpuPerStep), 4),
          audit_rows: auditRows,
          audit_rows_per_s: round((auditRows / wallMs) * 1000, 1),
          audit_head_lock_waiters_mean: round(meanWaiters, 2),
          audit_head_lock_waiters_max: Math.max(0, ...waiterSamples),
          step_concurrency: stepConcurrency,
          workflows_in_flight: inFlight,
        },
        targets: [
          {
            name: 'steps/s ≥ 0.30 × raw BullMQ jobs/s',
            value: round(stepsPerS / baseline.jobsPerSecond, 4),
            limit: 0.3,
            kind: 'min',
          },
          { name: `all ${workflows} workflows done`, value: done, limit: workflows, kind: 'equal' },
        ],
        notes,
      };
    } finally {
      await reader?.close();
      await sgops?.stop();
      await standIns.stop();
    }
  },
};
