/**
 * rollout: recreatePods for a 100-replica Deployment (maxSurge 25 %, maxUnavailable 0) whose pods
 * take 200 ms to start, timed from the step's first audited call to its last, against the
 * theoretical minimum (ceil(100 / 25) waves × 200 ms) and against the same restart done by the
 * simulator alone in the same run (the floor this simulator can reach).
 */
import { samplePolicy } from '../../test/helpers/test-world.ts';
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { grantOnce } from '../harness/grant-once.ts';
import { round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { openSchemaReader } from '../harness/schema-reader.ts';
import type { SchemaReader } from '../harness/schema-reader.ts';
import { startStandIns } from '../harness/stand-ins.ts';

const replicas = 100;
const startLatencyMs = 200;
const maxSurgePercent = 25;

export const rolloutScenario: Scenario = {
  name: 'rollout',
  title: `recreatePods for ${replicas} replicas, ${startLatencyMs} ms pod start, maxSurge ${maxSurgePercent} %, maxUnavailable 0`,
  async run(log): Promise<ScenarioOutcome> {
    const standIns = await startStandIns({ podStartLatencyMs: 30 });
    let sgops: BenchApp | null = null;
    let reader: SchemaReader | null = null;
    try {
      const rollingUpdate = {
        replicas,
        maxSurge: `${maxSurgePercent}%`,
        maxUnavailable: 0,
        timeoutMs: 30_000,
      };
      // Separate namespaces: the simulator's controllers list a namespace's pods per ReplicaSet.
      await standIns.deploy({ apps: [{ app: 'web', namespace: 'roll-sgops' }], ...rollingUpdate });
      await standIns.deploy({ apps: [{ app: 'web', namespace: 'roll-baseline' }], ...rollingUpdate });
      await standIns.configureKubelet({ startLatencyMs });

      const simulatorMs = await standIns.restartAndWait('roll-baseline', 'web', 30_000);
      log(`the simulator alone rolls 100 replicas in ${simulatorMs.toFixed(0)} ms`);

      sgops = await startBenchApp(
        benchConfigInput('rollout', standIns, {
          policy: { ...samplePolicy, rules: [{ ...samplePolicy.rules[0]!, namespaces: ['*'] }] },
        }),
      );
      reader = await openSchemaReader(sgops.schema);
      const { requestId, state } = await grantOnce(
        sgops.app,
        { app: 'web', namespace: 'roll-sgops' },
        60_000,
      );
      const span = await reader.stepSpan(requestId, 'recreatePods');
      if (!span) throw new Error(`no audited call of recreatePods for ${requestId} (ended ${state})`);
      const ms = span.last - span.first;
      const waves = Math.ceil(replicas / Math.ceil((replicas * maxSurgePercent) / 100));
      const minimumMs = waves * startLatencyMs;
      log(`sgops recreatePods: ${ms} ms (${span.rows} audit rows), minimum ${minimumMs} ms`);
      const notes = [
        `recreatePods timed from its first to its last audited call (${span.rows} rows); the grant ended ${state}`,
        `theoretical minimum = ceil(${replicas} / ${(replicas * maxSurgePercent) / 100}) waves × ${startLatencyMs} ms = ${minimumMs} ms`,
        `the simulator alone (patch, then poll its store every 2 ms) needed ${Math.round(simulatorMs)} ms: ${round(simulatorMs / minimumMs, 2)} × the minimum`,
      ];
      return {
        figures: {
          replicas,
          pod_start_ms: startLatencyMs,
          seconds: round(ms / 1000, 3),
          minimum_seconds: round(minimumMs / 1000, 3),
          ratio_to_minimum: round(ms / minimumMs, 3),
          simulator_alone_seconds: round(simulatorMs / 1000, 3),
          ratio_to_simulator_alone: round(ms / simulatorMs, 3),
          grant_state: state,
        },
        targets: [
          {
            name: 'recreatePods ≤ 1.2 × theoretical minimum',
            value: round(ms / minimumMs, 3),
            limit: 1.2,
            kind: 'max',
          },
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
