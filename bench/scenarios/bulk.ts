/**
 * bulk: 500 grants with the emulator's documented per-action rate limits on and 50 ms added to
 * every cloud and Kubernetes call, sgops' own shared rate limiter on. The bound is what the rate
 * limits allow for the calls one grant was seen to make (per action: limit ÷ calls per grant; the
 * smallest wins); the figure is completed grants per second against it. Per-step CPU is kept as a
 * diagnostic of where the two cores go.
 */
import { startBulkWorld, grantAll } from '../harness/bulk-world.ts';
import { watchCpuShares } from '../harness/cpu-shares.ts';
import { observedRates } from '../harness/observed-rates.ts';
import { stepRuns } from '../harness/step-runs.ts';
import { round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { sum } from '../harness/sum.ts';

const grants = Number(process.env.SGOPS_BENCH_BULK_GRANTS ?? 500);
const inFlight = Number(process.env.SGOPS_BENCH_BULK_IN_FLIGHT ?? 100);
const stepConcurrency = Number(process.env.SGOPS_BENCH_STEP_CONCURRENCY ?? 64);
const readCacheTtlMs = Number(process.env.SGOPS_BENCH_READ_CACHE_TTL_MS ?? 5_000);
const callLatencyMs = 50;
const budgetMs = 200_000;

export const bulkScenario: Scenario = {
  name: 'bulk',
  title: `${grants} grants, documented rate limits on, ${callLatencyMs} ms per call, vs the bound the limits allow`,
  budgetMs,
  async run(log): Promise<ScenarioOutcome> {
    const scenarioStarted = Date.now();
    const world = await startBulkWorld({
      name: 'bulk',
      grants,
      callLatencyMs,
      stepConcurrency,
      readCacheTtlMs,
    });
    try {
      const { standIns, reader, sgops } = world;
      await standIns.resetCalls();
      const cpu = await watchCpuShares(standIns);
      const stepsBefore = await stepRuns(sgops.app);
      const run = await grantAll(world, { inFlight, deadline: scenarioStarted + budgetMs - 25_000 });
      const {
        sgopsCpuMs,
        standInsCpuMs,
        boxBusy: busy,
        boxCores,
        sgopsCores,
        standInsCores,
      } = await cpu.end(run.wallMs);
      const done = run.counts['done'] ?? 0;
      const {
        calls,
        peaks,
        throttled,
        bound,
        readsPerUnit: readsPerGrant,
      } = await observedRates(standIns, reader, done);
      const grantsPerS = (done / run.wallMs) * 1000;
      const steps = (await stepRuns(sgops.app)) - stepsBefore;
      const ratio = grantsPerS / bound.perSecond;
      // Every grant adds its DNS rules to the one cluster group, in that group's write turn
      // (allowDns: a read and a write); grants waiting for the same turn share it.
      const turns = await reader.stepCallSpans('allowDns');
      const grantsPerTurn = done / Math.max(1, turns.requests);
      log(
        `${done} of ${grants} grants done in ${(run.wallMs / 1000).toFixed(1)} s: ${grantsPerS.toFixed(2)} /s; ` +
          `bound ${bound.perSecond.toFixed(2)} /s (${bound.bindingAction}); ratio ${ratio.toFixed(3)}; ` +
          `reads/grant ${readsPerGrant.toFixed(2)}; RequestLimitExceeded ${throttled.cloud}; ` +
          `cores busy ${busy.toFixed(2)} of ${boxCores} (sgops ${sgopsCores.toFixed(2)}, stand-ins ${standInsCores.toFixed(2)})`,
      );
      const notes = [
        `${done} of ${grants} grants done (states ${JSON.stringify(run.counts)}), fed ${inFlight} open at a time; ${stepConcurrency} step workers; the policy approves every grant itself`,
        `stand-ins: emulator's documented per-action limits on (20/s TKE and DescribeSecurityGroupLimits, 100/s security-group actions), ${callLatencyMs} ms added to every cloud call and every Kubernetes request; sgops' shared rate limiter on; cluster reads shared for ${readCacheTtlMs} ms (tencentcloud.readCacheTtlMs)`,
        `bound = min over actions of limit ÷ calls per grant observed at the emulator = ${round(bound.perSecond, 2)} grants/s, set by ${bound.bindingAction}`,
        `throttled: ${throttled.cloud} RequestLimitExceeded answers from the cloud, ${throttled.local} calls sgops' limiter gave up on`,
        `the cluster group's write turns (allowDns: DescribeSecurityGroupPolicies then CreateSecurityGroupPolicies): ${turns.requests} turns of ${round(turns.meanMs, 1)} ms for ${done} grants, ${round(grantsPerTurn, 2)} grants per turn`,
        `CPU per step (diagnostic): sgops ${round(sgopsCpuMs / Math.max(1, steps), 2)} ms, stand-ins ${round(standInsCpuMs / Math.max(1, steps), 2)} ms over ${steps} step runs`,
        `the box's cores busy during the grants: ${round(busy, 2)} of ${boxCores} (sgops ${round(sgopsCores, 2)}, the stand-ins ${round(standInsCores, 2)}, the rest Postgres, Redis and other processes)`,
      ];
      return {
        figures: {
          grants: done,
          grants_requested: grants,
          wall_s: round(run.wallMs / 1000),
          grants_per_s: round(grantsPerS, 2),
          bound_per_s: round(bound.perSecond, 2),
          binding_action: bound.bindingAction,
          ratio_to_bound: round(ratio, 3),
          reads_per_grant: round(readsPerGrant, 2),
          throttled: throttled.cloud,
          limiter_gave_up: throttled.local,
          cloud_calls_per_grant: bound.callsPerUnit,
          cloud_peak_calls_per_s: peaks,
          kube_requests_per_grant: round(sum(Object.values(calls.kube)) / Math.max(1, done), 2),
          call_latency_ms: callLatencyMs,
          read_cache_ttl_ms: readCacheTtlMs,
          step_concurrency: stepConcurrency,
          grants_in_flight: inFlight,
          cluster_group_turns: turns.requests,
          cluster_group_turn_ms: round(turns.meanMs, 1),
          grants_per_cluster_group_turn: round(grantsPerTurn, 2),
          steps,
          sgops_cpu_ms_per_step: round(sgopsCpuMs / Math.max(1, steps), 2),
          stand_ins_cpu_ms_per_step: round(standInsCpuMs / Math.max(1, steps), 2),
          box_cores_busy: round(busy, 2),
          box_cores: boxCores,
          sgops_cores_busy: round(sgopsCores, 2),
          stand_ins_cores_busy: round(standInsCores, 2),
        },
        targets: [
          { name: 'grants/s ≥ 0.8 × rate-limit bound', value: round(ratio, 3), limit: 0.8, kind: 'min' },
          { name: 'RequestLimitExceeded answers ≤ 5', value: throttled.cloud, limit: 5, kind: 'max' },
          { name: `all ${grants} grants done`, value: done, limit: grants, kind: 'equal' },
        ],
        notes,
      };
    } finally {
      await world.close();
    }
  },
};
