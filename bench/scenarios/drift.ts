/**
 * drift: the economy of the drift watch (issue 19). 100 live grants in the emulator, nothing
 * changed: one sweep reads each security group at most once (the 100 pod groups and the one
 * cluster group they share), with the emulator's documented rate limits on and no
 * `RequestLimitExceeded`; and with two replicas on the schedule, one interval's sweeps make the
 * same number of reads as one replica's — the scheduler hands each sweep to one of them.
 */
import { sum } from '../harness/sum.ts';
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { grantOnce } from '../harness/grant-once.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { startStandIns } from '../harness/stand-ins.ts';

const grants = 100;
const batch = 10;
const sweepEveryMs = 10_000;

const describeRules = (cloud: Record<string, number>) => cloud['DescribeSecurityGroupPolicies'] ?? 0;

export const driftScenario: Scenario = {
  name: 'drift',
  title: 'drift sweep reads for 100 live grants, nothing changed; one replica vs two',
  // 100 grants are set up first, at the emulator's documented rate limits.
  budgetMs: 300_000,
  async run(log): Promise<ScenarioOutcome> {
    // 100 pod groups and 200 DNS rules in one cluster group pass Tencent's default quotas (50 groups
    // a region, 100 rules a direction): the account is given room, as one with 100 grants must be.
    const standIns = await startStandIns({
      podStartLatencyMs: 30,
      quotas: { groupsPerRegion: 500, rulesPerDirection: 500 },
    });
    const started: BenchApp[] = [];
    try {
      const apps = Array.from({ length: grants }, (_, i) => ({
        app: `drift-${String(i).padStart(3, '0')}`,
        namespace: 'my-namespace',
      }));
      await standIns.deploy({ apps, replicas: 1, timeoutMs: 120_000 });
      const input = benchConfigInput('drift', standIns, { drift: { sweepMs: 0 } });
      const main = await startBenchApp(input);
      started.push(main);
      const ended: string[] = [];
      for (let i = 0; i < apps.length; i += batch)
        ended.push(
          ...(await Promise.all(apps.slice(i, i + batch).map((a) => grantOnce(main.app, a, 120_000)))).map(
            (g) => g.state,
          ),
        );
      const done = ended.filter((s) => s === 'done').length;
      log(`${done} of ${grants} grants done`);

      // One sweep, called on one replica.
      await standIns.resetCalls();
      const summary = await main.app.driftWatch.sweep();
      const one = await standIns.calls();
      const groups = done + 1;
      const reads = describeRules(one.cloud);
      const throttled = (await main.app.store.listAudit({ limit: 100_000 })).filter(
        (r) => r.kind === 'outcome' && r.outcome === 'CLOUD_THROTTLED',
      ).length;
      log(
        `one sweep: ${summary.grants} grants looked at, ${summary.drifted} drifted; ${reads} DescribeSecurityGroupPolicies for ${groups} groups; ${sum(Object.values(one.kube))} Kubernetes requests; ${throttled} throttled`,
      );

      // Two replicas on the schedule: one interval's sweep, whichever replica takes it.
      await main.app.stop();
      started.length = 0;
      const scheduled = { ...input, drift: { sweepMs: sweepEveryMs } };
      for (let i = 0; i < 2; i += 1) started.push(await startBenchApp(scheduled));
      // Their policy watches each start with a look (one sweep per 2 s stretch): let it pass.
      await new Promise((r) => setTimeout(r, 8_000));
      await standIns.resetCalls();
      // Wait for the next interval's reads to begin, then for them to stop.
      const deadline = Date.now() + sweepEveryMs * 2;
      let seen = 0;
      for (let quiet = 0; Date.now() < deadline && quiet < 3;) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = describeRules((await standIns.calls()).cloud);
        quiet = now > 0 && now === seen ? quiet + 1 : 0;
        seen = now;
      }
      log(`two replicas, one interval: ${seen} DescribeSecurityGroupPolicies (one replica: ${reads})`);

      return {
        figures: {
          grants: done,
          groups,
          reads_one_replica: reads,
          reads_per_group: groups > 0 ? Number((reads / groups).toFixed(3)) : null,
          k8s_requests_one_sweep: sum(Object.values(one.kube)),
          throttled,
          reads_two_replicas: seen,
          two_replicas_ratio: reads > 0 ? Number((seen / reads).toFixed(3)) : null,
          cloud_calls_one_sweep: one.cloud,
        },
        targets: [
          {
            name: 'reads per group in one sweep ≤ 1',
            value: groups > 0 ? reads / groups : null,
            limit: 1,
            kind: 'max',
          },
          { name: 'RequestLimitExceeded answers = 0', value: throttled, limit: 0, kind: 'max' },
          {
            name: 'two replicas read ≤ 1 × one replica',
            value: reads > 0 ? seen / reads : null,
            limit: 1,
            kind: 'max',
          },
        ],
        notes:
          done < grants
            ? [`only ${done} of ${grants} grants ended done: ${[...new Set(ended)].join(', ')}`]
            : [],
      };
    } finally {
      // The first replica drops the schema and the keys; the others only stop.
      for (const [i, app] of started.entries()) await (i === 0 ? app.stop() : app.app.stop());
      await standIns.stop();
    }
  },
};
