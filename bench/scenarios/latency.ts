/**
 * latency: one grant, from the approver's `approve` to `done`, with 50 ms added to every cloud
 * and Kubernetes call and pods that take 200 ms to start, against the irreducible time: the chain
 * the grant's calls after the approval formed (calls made at the same time are one link, see
 * call-waves.ts) at 50 ms a link, plus the rollout's
 * theoretical minimum (one replica, maxSurge 25 %: one wave of one pod start). The rollout's watch
 * is not counted as a call: it runs while the pod starts. A warm-up grant runs first; the figure is
 * the median of three grants, each of its own app.
 */
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { sayAndHear } from '../harness/grant-once.ts';
import { round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { openSchemaReader, terminalStates } from '../harness/schema-reader.ts';
import type { SchemaReader } from '../harness/schema-reader.ts';
import { startStandIns } from '../harness/stand-ins.ts';
import { sum } from '../harness/sum.ts';
import { bareCallMs } from '../harness/bare-call-ms.ts';
import { callWaves } from '../harness/call-waves.ts';

const callLatencyMs = 50;
const podStartMs = 200;
const measured = 3;
const namespace = 'my-namespace';
const watchAction = 'kubernetes watch deployments';

interface OneGrant {
  ms: number;
  calls: Record<string, number>;
  /** The links of the chain the grant's calls formed (calls at the same time are one link). */
  waves: ('cloud' | 'kube')[][];
  state: string;
  /** Per step after the approval: ms in its calls, and ms from the previous step's last row to its first. */
  steps: { step: string; callMs: number; gapBeforeMs: number; spanMs: number }[];
}

/** Where the time between approval and done went, step by step, from the audit trail. */
async function stepTimes(sgops: BenchApp, id: string, since: Date): Promise<OneGrant['steps']> {
  const rows = (await sgops.app.store.listAudit({ requestId: id, limit: 10_000 })).filter(
    (r) => r.at >= since && typeof r.details['step'] === 'string',
  );
  const out: OneGrant['steps'] = [];
  let previousEnd = since.getTime();
  for (const step of [...new Set(rows.map((r) => String(r.details['step'])))]) {
    const mine = rows.filter((r) => r.details['step'] === step);
    const first = Math.min(...mine.map((r) => r.at.getTime()));
    const last = Math.max(...mine.map((r) => r.at.getTime()));
    const callMs = sum(mine.filter((r) => r.kind === 'outcome').map((r) => r.durationMs ?? 0));
    out.push({ step, callMs, gapBeforeMs: first - previousEnd, spanMs: last - first });
    previousEnd = last;
  }
  return out;
}

async function approveToDone(sgops: BenchApp, reader: SchemaReader, app: string): Promise<OneGrant> {
  const opened = await sayAndHear(sgops.app, 'alice', `grant pod SG to app ${app} in ${namespace}`);
  if (!opened?.requestId) throw new Error(`the grant for ${app} opened no request: ${opened?.text}`);
  const id = opened.requestId;
  const stateOf = async () => (await sgops.app.engine.read(id))?.state ?? '';
  const until = async (what: string, ok: (s: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await stateOf();
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`${id} did not reach ${what} (at ${s})`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await until('awaitingApproval', (s) => s === 'awaitingApproval');
  const approvedAt = new Date();
  const started = performance.now();
  await sgops.app.console.say('bob', `approve ${id}`);
  const state = await until('an end', (s) => terminalStates.has(s));
  const ms = performance.now() - started;
  const outcomes = (await sgops.app.store.listAudit({ requestId: id, limit: 10_000 })).filter(
    (r) =>
      r.at >= approvedAt &&
      r.kind === 'outcome' &&
      (r.system === 'tencentcloud' || r.system === 'kubernetes') &&
      `${r.system} ${r.action}` !== watchAction,
  );
  const waves = callWaves(
    outcomes.map((r) => ({
      startMs: r.at.getTime() - (r.durationMs ?? 0),
      endMs: r.at.getTime(),
      kind: r.system === 'tencentcloud' ? ('cloud' as const) : ('kube' as const),
    })),
  ).map((wave) => wave.map((c) => c.kind));
  return {
    ms,
    waves,
    calls: await reader.callsOf(id, approvedAt),
    state,
    steps: await stepTimes(sgops, id, approvedAt),
  };
}

export const latencyScenario: Scenario = {
  name: 'latency',
  title: `one grant, approve → done, ${callLatencyMs} ms per call, ${podStartMs} ms pod start, vs the irreducible serial chain`,
  async run(log): Promise<ScenarioOutcome> {
    const standIns = await startStandIns({
      podStartLatencyMs: podStartMs,
      cloudLatencyMs: callLatencyMs,
      kubeLatencyMs: callLatencyMs,
    });
    let sgops: BenchApp | null = null;
    let reader: SchemaReader | null = null;
    try {
      const apps = Array.from({ length: measured + 1 }, (_, i) => ({ app: `lat-${i}`, namespace }));
      await standIns.deploy({ apps, replicas: 1, timeoutMs: 20_000 });
      // The product's workflow defaults, but for the approval timeout.
      sgops = await startBenchApp(
        benchConfigInput('latency', standIns, { workflow: { approvalTimeoutMs: 3_600_000 } }),
      );
      reader = await openSchemaReader(sgops.schema);
      await approveToDone(sgops, reader, apps[0]!.app);
      // What one call costs here without sgops' engine around it: the stand-ins' 50 ms, HTTP, the
      // client libraries. The chain at that cost says how much of the gap is sgops' own.
      const bare = await bareCallMs(standIns);
      const runs: OneGrant[] = [];
      for (const { app } of apps.slice(1)) runs.push(await approveToDone(sgops, reader, app));
      const irreducible = runs.map((r) => {
        const calls = sum(
          Object.entries(r.calls)
            .filter(([k]) => k !== watchAction)
            .map(([, n]) => n),
        );
        // A link of calls made at the same time costs its slowest call.
        const bareMs =
          sum(r.waves.map((w) => Math.max(...w.map((k) => (k === 'cloud' ? bare.cloudMs : bare.kubeMs))))) +
          podStartMs;
        return {
          calls,
          serialCalls: r.waves.length,
          ms: r.waves.length * callLatencyMs + podStartMs,
          bareMs,
        };
      });
      const ratios = runs.map((r, i) => r.ms / irreducible[i]!.ms);
      const order = ratios.map((_, i) => i).sort((a, b) => ratios[a]! - ratios[b]!);
      const median = order[Math.floor(order.length / 2)]!;
      const run = runs[median]!;
      const floor = irreducible[median]!;
      const toBare = run.ms / floor.bareMs;
      log(
        `approve → done ${run.ms.toFixed(0)} ms; irreducible ${floor.ms} ms (${floor.calls} calls in a chain of ${floor.serialCalls} × ${callLatencyMs} ms + ${podStartMs} ms); ratio ${ratios[median]!.toFixed(3)}`,
      );
      log(
        `bare calls here: cloud ${bare.cloudMs.toFixed(1)} ms, Kubernetes ${bare.kubeMs.toFixed(1)} ms; the chain at that cost ${floor.bareMs.toFixed(0)} ms; sgops ${toBare.toFixed(3)} × it`,
      );
      return {
        figures: {
          seconds: round(run.ms / 1000, 3),
          irreducible_seconds: round(floor.ms / 1000, 3),
          ratio: round(ratios[median]!, 3),
          serial_calls: floor.serialCalls,
          calls_made: floor.calls,
          calls_after_approval: run.calls,
          steps_after_approval: run.steps,
          all_seconds: runs.map((r) => round(r.ms / 1000, 3)),
          all_ratios: ratios.map((r) => round(r, 3)),
          call_latency_ms: callLatencyMs,
          pod_start_ms: podStartMs,
          bare_cloud_call_ms: round(bare.cloudMs, 2),
          bare_kube_call_ms: round(bare.kubeMs, 2),
          bare_chain_seconds: round(floor.bareMs / 1000, 3),
          ratio_to_bare_chain: round(toBare, 3),
          grant_state: run.state,
        },
        targets: [
          {
            name: 'approve → done ≤ 1.1 × irreducible',
            value: round(ratios[median]!, 3),
            limit: 1.1,
            kind: 'max',
          },
        ],
        notes: [
          `median of ${measured} grants (one warm-up first), each its own one-replica super-node app in ${namespace}; alice asks, bob approves in the console; timed in the bench from saying \`approve\` until the request reads done (polled every 5 ms)`,
          `irreducible = the chain the grant's audited calls after the approval formed (${floor.calls} calls, the rollout's watch not counted; calls made at the same time are one link: ${floor.serialCalls} links) at ${callLatencyMs} ms a link, plus one wave of one ${podStartMs} ms pod start = ${floor.ms} ms`,
          "the product's workflow settings (stepBackoffMs, pollDelayMs, stepConcurrency at their defaults)",
          `diagnostic: one call made bare through sgops' adapters (no engine, no audit), ${bare.samples} of each kind in a row, takes ${round(bare.cloudMs, 1)} ms (cloud) and ${round(bare.kubeMs, 1)} ms (Kubernetes) on this box; the grant's chain at those costs is ${round(floor.bareMs)} ms, and sgops took ${round(toBare, 3)} × that`,
        ],
      };
    } finally {
      await reader?.close();
      await sgops?.stop();
      await standIns.stop();
    }
  },
};
