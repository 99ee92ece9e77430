/**
 * /metrics as an operator runs it: on a port of its own, behind a bearer token, and cheap to
 * scrape however many requests the database holds, because requests are counted as they move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import type { ChatStateStore } from '../../src/store/chat-state-store.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { until } from '../helpers/until.ts';

const metricsToken = 'prometheus-scrape-token-0123456789abcdef';
const scrape = { headers: { authorization: `Bearer ${metricsToken}` } };

/** The same store, with the name of every method the app calls on it written down. */
function withCallsCounted(store: Store & ChatStateStore, calls: string[]): Store & ChatStateStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('the /metrics endpoint', () => {
  let world: TestWorld;
  const storeCalls: string[] = [];
  let httpUrl = '';
  let metricsUrl = '';

  beforeAll(async () => {
    world = await startTestWorld(
      'metrics-endpoint',
      {
        http: { host: '127.0.0.1', port: 0 },
        metrics: { port: 0, token: metricsToken },
        // The background sweeps read the store on their own clock; an hour keeps them out of the count.
        workflow: {
          stepBackoffMs: 50,
          pollDelayMs: 100,
          approvalTimeoutMs: 600_000,
          shutdownGraceMs: 3000,
          outboxSweepMs: 3_600_000,
          reconcileMs: 3_600_000,
        },
      },
      { observeStore: (store) => withCallsCounted(store, storeCalls) },
    );
    httpUrl = world.app.httpUrl!;
    metricsUrl = world.app.metricsUrl!;
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('is served only on its own port, and only to a scrape that sends the token', async () => {
    expect(metricsUrl).not.toBe(httpUrl);
    expect((await fetch(`${httpUrl}/metrics`, scrape)).status).toBe(404);
    const anonymous = await fetch(`${metricsUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect(await anonymous.json()).toMatchObject({ code: 'NOT_AUTHORISED' });
    const wrong = await fetch(`${metricsUrl}/metrics`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
    const res = await fetch(`${metricsUrl}/metrics`, scrape);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/^sgops_process_process_cpu_seconds_total /m);
    for (const other of ['/healthz', '/api/people', '/'])
      expect((await fetch(`${metricsUrl}${other}`, scrape)).status, other).toBe(404);
  });

  it('counts a request as it opens and moves, and a scrape asks the store nothing', async () => {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.kind === 'plan');
    // Let the plan's notification finish its own reads before counting.
    await until('the store to fall quiet', async () => {
      const before = storeCalls.length;
      await new Promise((r) => setTimeout(r, 500));
      return storeCalls.length === before ? true : undefined;
    });
    storeCalls.length = 0;
    let text = '';
    for (let i = 0; i < 20; i++) text = await (await fetch(`${metricsUrl}/metrics`, scrape)).text();
    expect(storeCalls).toEqual([]);
    expect(text).toContain('sgops_requests_opened_total{workflow="grant"} 1');
    expect(text).toContain(
      'sgops_request_transitions_total{workflow="grant",from="planning",to="awaitingApproval"} 1',
    );
    expect(text).toMatch(/^sgops_queue_jobs\{queue="steps",state="waiting"\} \d+$/m);

    await world.app.console.say('bob', `deny ${id} not this week`);
    text = await until('the denial to be counted', async () => {
      const now = await (await fetch(`${metricsUrl}/metrics`, scrape)).text();
      return now.includes('from="awaitingApproval",to="denied"} 1') ? now : undefined;
    });
    expect(text).toContain(
      'sgops_request_transitions_total{workflow="grant",from="awaitingApproval",to="denied"} 1',
    );
  });
});
