/**
 * The load generator child: posts pre-signed Slack slash commands over keep-alive connections,
 * `concurrency` at a time, `count` in all, and reports each latency. Signing happens before the
 * clock starts, so the generator's own CPU is spent on HTTP only (it still shares the 2 cores).
 */
import { Agent, request } from 'undici';
import { signSlackRequest } from '../../adapters/slack/index.ts';
import type { LoadPlan, LoadResult } from './load-generator.ts';

async function run(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ connections: plan.concurrency, keepAliveTimeout: 30_000, pipelining: 1 });
  const now = Math.floor(Date.now() / 1000);
  const prepared = Array.from({ length: plan.count }, (_, i) => {
    const body = new URLSearchParams({
      team_id: 'T0SGOPS',
      channel_id: 'C0BENCH',
      user_id: plan.users[i % plan.users.length]!,
      command: '/sgops',
      text: plan.text,
      trigger_id: `${plan.runId}.${i}.${Math.random().toString(36).slice(2)}`,
      response_url: 'https://hooks.slack.com/commands/T0SGOPS/1/x',
    }).toString();
    return {
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(plan.signingSecret, body, now),
      },
    };
  });
  const latencies: number[] = new Array<number>(plan.count);
  const statuses: Record<string, number> = {};
  let next = 0;
  let errors = 0;
  const deadline = Date.now() + plan.timeBudgetMs;
  const started = performance.now();
  async function lane(): Promise<void> {
    while (next < prepared.length && Date.now() < deadline) {
      const i = next++;
      const { body, headers } = prepared[i]!;
      const t0 = performance.now();
      try {
        const res = await request(plan.url, {
          dispatcher: agent,
          method: 'POST',
          headers,
          body,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        await res.body.text();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      } catch {
        errors++;
      }
      latencies[i] = performance.now() - t0;
    }
  }
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
  const wallMs = performance.now() - started;
  await agent.close();
  return { latencies: latencies.slice(0, next), statuses, errors, wallMs };
}

process.once('message', (plan) => {
  run(plan as LoadPlan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
