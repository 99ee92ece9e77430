/**
 * metrics: the cost of a /metrics scrape with an empty store and with 100,000 requests in it, in
 * the same sgops (the requests are written straight into its schema, all at rest, so no worker or
 * sweep picks them up). sgops' metrics are counters kept as things happen, plus BullMQ's job counts
 * from Redis, so the store's size should not show; this measures that it does not.
 */
import pg from 'pg';
import { testDatabaseUrl } from '../../test/helpers/pg.ts';
import { benchConfigInput, startBenchApp } from '../harness/bench-app.ts';
import type { BenchApp } from '../harness/bench-app.ts';
import { percentile, round } from '../harness/latency-stats.ts';
import type { Scenario, ScenarioOutcome } from '../harness/scenario.ts';
import { startStandIns } from '../harness/stand-ins.ts';

const stored = 100_000;
const scrapes = 200;
const warmUp = 20;

async function scrapeTimes(url: string, count: number): Promise<{ ms: number[]; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(url);
    const body = await response.text();
    ms.push(performance.now() - started);
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    bytes = body.length;
  }
  return { ms, bytes };
}

async function fillStore(schema: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const started = performance.now();
    // Only states at rest that nothing watches: no sweep, reconcile or timer touches these rows.
    await client.query(
      `insert into requests (id, workflow, requester, cluster_id, namespace, spec, origin, state)
       select 'bench-' || g, case when g % 3 = 0 then 'revoke' else 'grant' end, 'alice', 'cls-bench001',
              'ns-' || (g % 500), jsonb_build_object('app', 'app-' || g),
              '{"platform":"console","conversationId":"bench"}'::jsonb,
              (array['revoked','failed','denied','cancelled'])[1 + g % 4]
         from generate_series(1, $1::int) g`,
      [rows],
    );
    await client.query('analyze requests');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

export const metricsScenario: Scenario = {
  name: 'metrics',
  title: `a /metrics scrape with ${stored.toLocaleString('en')} requests in the store vs none`,
  async run(log): Promise<ScenarioOutcome> {
    const standIns = await startStandIns();
    let sgops: BenchApp | null = null;
    try {
      sgops = await startBenchApp(benchConfigInput('metrics', standIns, { metrics: { port: 0 } }));
      const url = `${sgops.app.metricsUrl}/metrics`;
      await scrapeTimes(url, warmUp);
      const empty = await scrapeTimes(url, scrapes);
      const fillMs = await fillStore(sgops.schema, stored);
      await scrapeTimes(url, warmUp);
      const full = await scrapeTimes(url, scrapes);
      const e = { p50: percentile(empty.ms, 50), p99: percentile(empty.ms, 99) };
      const f = { p50: percentile(full.ms, 50), p99: percentile(full.ms, 99) };
      const ratio = f.p50 / e.p50;
      log(
        `scrape p50 ${e.p50.toFixed(2)} ms empty, ${f.p50.toFixed(2)} ms with ${stored} requests: ratio ${ratio.toFixed(3)}`,
      );
      return {
        figures: {
          requests_in_store: stored,
          scrapes_each: scrapes,
          scrape_ms_empty: round(e.p50, 2),
          scrape_ms_100k: round(f.p50, 2),
          ratio: round(ratio, 3),
          scrape_p99_ms_empty: round(e.p99, 2),
          scrape_p99_ms_100k: round(f.p99, 2),
          body_bytes_empty: empty.bytes,
          body_bytes_100k: full.bytes,
          fill_s: round(fillMs / 1000, 1),
        },
        targets: [
          {
            name: 'scrape with 100,000 requests ≤ 2 × empty (p50)',
            value: round(ratio, 3),
            limit: 2,
            kind: 'max',
          },
        ],
        notes: [
          `${scrapes} scrapes each after ${warmUp} warm-up ones, one at a time over loopback from the bench process; p50 compared`,
          `${stored} requests written straight into the schema (grants and revokes at rest: revoked, failed, denied, cancelled) in ${round(fillMs / 1000, 1)} s`,
          "the metrics are counters kept as things happen (src/metrics/create-metrics.ts) and BullMQ's job counts read from Redis at scrape time; nothing reads the store",
        ],
      };
    } finally {
      await sgops?.stop();
      await standIns.stop();
    }
  },
};
