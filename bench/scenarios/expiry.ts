/**
 * expiry: 500 time-bound grants whose revokes fall due at once, in the bulk scenario's world (the
 * emulator's documented rate limits on, 50 ms per cloud and Kubernetes call). The grants are made
 * first (`for 1h`); then their expiry timers are promoted together, as if the hour had passed for
 * all of them in the same second, and revokes per second are set against the bound the rate
 * limits allow for the calls one revoke was seen to make.
 */
import { watchCpuShares } from '../harness/cpu-shares.ts';
import { observedRates } from '../harness/observed-rates.ts';
import { timerJobId } from '../../src/engine/job-ids.ts';
import { grantAll, startBulkWorld } from '../harness/bulk-world.ts';
import { round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { terminalStates } from '../harness/schema-reader.ts';
import { sum } from '../harness/sum.ts';

const revokes = Number(process.env.SGOPS_BENCH_EXPIRY_REVOKES ?? 500);
const inFlight = Number(process.env.SGOPS_BENCH_BULK_IN_FLIGHT ?? 100);
const stepConcurrency = Number(process.env.SGOPS_BENCH_STEP_CONCURRENCY ?? 64);
const readCacheTtlMs = Number(process.env.SGOPS_BENCH_READ_CACHE_TTL_MS ?? 5_000);
const callLatencyMs = 50;
const budgetMs = 300_000;

export const expiryScenario: Scenario = {
  name: 'expiry',
  title: `${revokes} time-bound grants' revokes due at once, rate limits on, ${callLatencyMs} ms per call, vs the bound`,
  budgetMs,
  async run(log): Promise<ScenarioOutcome> {
    const scenarioStarted = Date.now();
    const world = await startBulkWorld({
      name: 'expiry',
      grants: revokes,
      callLatencyMs,
      stepConcurrency,
      readCacheTtlMs,
    });
    try {
      const { standIns, reader, sgops } = world;
      const granted = await grantAll(world, {
        inFlight,
        deadline: scenarioStarted + budgetMs / 2,
        suffix: ' for 1h',
      });
      log(`${granted.done} time-bound grants in force after ${(granted.wallMs / 1000).toFixed(1)} s`);
      const active = [...(await reader.states()).entries()]
        .filter(([, s]) => s === 'active')
        .map(([id]) => id);

      await standIns.resetCalls();
      const cpu = await watchCpuShares(standIns);
      const started = performance.now();
      // The hour passes for every grant in the same second: each grant's expiry timer is due now.
      const timers = await Promise.all(
        active.map((id) => sgops.app.queues.events.getJob(timerJobId(id, 'grantExpiry'))),
      );
      await Promise.all(timers.map((job) => job?.promote()));
      let counts: Record<string, number> = {};
      let endedAt = started;
      const deadline = scenarioStarted + budgetMs - 25_000;
      for (;;) {
        counts = await reader.stateCounts('revoke');
        const ended = Object.entries(counts)
          .filter(([s]) => terminalStates.has(s))
          .reduce((n, [, c]) => n + c, 0);
        endedAt = performance.now();
        if (ended >= active.length || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const wallMs = endedAt - started;
      const { boxBusy: busy, sgopsCores, standInsCores } = await cpu.end(wallMs);
      const done = counts['done'] ?? 0;
      const { calls, peaks, throttled, bound, readsPerUnit } = await observedRates(standIns, reader, done);
      const perS = (done / wallMs) * 1000;
      const ratio = perS / bound.perSecond;
      const grantStates = await reader.stateCounts('grant');
      log(
        `${done} of ${active.length} expiry revokes done in ${(wallMs / 1000).toFixed(1)} s: ${perS.toFixed(2)} /s; ` +
          `bound ${bound.perSecond.toFixed(2)} /s (${bound.bindingAction}); ratio ${ratio.toFixed(3)}; ` +
          `cores busy ${busy.toFixed(2)} (sgops ${sgopsCores.toFixed(2)}, stand-ins ${standInsCores.toFixed(2)})`,
      );
      return {
        figures: {
          revokes: done,
          timers_promoted: timers.filter(Boolean).length,
          wall_s: round(wallMs / 1000),
          revokes_per_s: round(perS, 2),
          bound_per_s: round(bound.perSecond, 2),
          binding_action: bound.bindingAction,
          ratio_to_bound: round(ratio, 3),
          reads_per_revoke: round(readsPerUnit, 2),
          throttled: throttled.cloud,
          limiter_gave_up: throttled.local,
          cloud_calls_per_revoke: bound.callsPerUnit,
          cloud_peak_calls_per_s: peaks,
          kube_requests_per_revoke: round(sum(Object.values(calls.kube)) / Math.max(1, done), 2),
          grants_first_s: round(granted.wallMs / 1000),
          grant_states_after: grantStates,
          call_latency_ms: callLatencyMs,
          read_cache_ttl_ms: readCacheTtlMs,
          step_concurrency: stepConcurrency,
          box_cores_busy: round(busy, 2),
          sgops_cores_busy: round(sgopsCores, 2),
          stand_ins_cores_busy: round(standInsCores, 2),
        },
        targets: [
          { name: 'revokes/s ≥ 0.8 × rate-limit bound', value: round(ratio, 3), limit: 0.8, kind: 'min' },
          { name: 'RequestLimitExceeded answers ≤ 5', value: throttled.cloud, limit: 5, kind: 'max' },
          { name: `all ${revokes} revokes done`, value: done, limit: revokes, kind: 'equal' },
        ],
        notes: [
          `${granted.done} grants made first (\`for 1h\`, ${(granted.wallMs / 1000).toFixed(1)} s, not counted); then every grant's grantExpiry timer was promoted at once (BullMQ promote), as if the hour had run out for all in the same second`,
          `revokes timed from the promotion to the last revoke ending; revoke states ${JSON.stringify(counts)}; grants after ${JSON.stringify(grantStates)}`,
          `bound = min over actions of limit ÷ calls per revoke observed at the emulator = ${round(bound.perSecond, 2)} revokes/s, set by ${bound.bindingAction}`,
          `throttled: ${throttled.cloud} RequestLimitExceeded answers from the cloud, ${throttled.local} calls sgops' limiter gave up on (whole scenario, grants included)`,
          `the box's cores busy during the revokes: ${round(busy, 2)} (sgops ${round(sgopsCores, 2)}, the stand-ins ${round(standInsCores, 2)}, the rest Postgres, Redis and other processes)`,
        ],
      };
    } finally {
      await world.close();
    }
  },
};
