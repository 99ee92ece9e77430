import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/free-port.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

/** What an operator watches: metrics that match what happened, and readiness that follows Redis. */
describe('metrics and readiness', () => {
  let world: TestWorld;
  let redis: ChildProcess | null = null;
  let port = 0;
  let url = '';

  const startRedis = async () => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 300));
  };
  const stopRedis = async () => {
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGTERM');
    await exited;
    redis = null;
  };
  const ready = async () => (await fetch(`${url}/readyz`)).status;
  const until = async (want: number) => {
    const deadline = Date.now() + 15_000;
    while ((await ready()) !== want) {
      if (Date.now() > deadline) throw new Error(`/readyz never answered ${want}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    world = await startTestWorld('operations', {
      redis: { url: `redis://127.0.0.1:${port}`, prefix: 'sgops-operations' },
      http: { host: '127.0.0.1', port: 0 },
    });
    url = world.app.httpUrl!;
  });

  afterAll(async () => {
    await world?.stop();
    if (redis) await stopRedis();
  });

  it('reports, after one grant, one request done and each Tencent Cloud action as often as the emulator saw it', async () => {
    world.emulator.resetCalls();
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    await world.app.console.say('bob', `approve ${opened.requestId}`);
    await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'result', 45_000);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('sgops_requests_opened_total{workflow="grant"} 1');
    expect(text).toContain('sgops_request_transitions_total{workflow="grant",from="verifying",to="done"} 1');
    for (const [action, count] of Object.entries(world.emulator.calls())) {
      expect(text).toContain(
        `sgops_calls_total{system="tencentcloud",action="${action}",outcome="ok"} ${count}`,
      );
    }
    expect(text).toMatch(
      /sgops_step_duration_seconds_count\{workflow="grant",step="recreatePods",outcome="done"\} 1/,
    );
    expect(text).toMatch(/sgops_chat_intake_seconds_count\{platform="console"\} \d+/);
    expect(text).toMatch(/sgops_queue_jobs\{queue="steps",state="waiting"\} \d+/);
  });

  it('turns unready when its Redis stops, and ready again when it returns', async () => {
    expect(await ready()).toBe(200);
    await stopRedis();
    await until(503);
    const body = (await (await fetch(`${url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(body.checks.postgres).toBe('ok');
    expect(body.checks.redis).not.toBe('ok');
    await startRedis();
    await until(200);
  });
});
