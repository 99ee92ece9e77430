import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { openRequest } from '../../src/chat/handlers/open-request.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { WorkflowModule } from '../../workflows/index.ts';
import { restingStates } from '../../workflows/workflow-module.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { sayJson } from '../helpers/say-json.ts';
import { worldReaders } from '../helpers/world-readers.ts';

/**
 * The workflow module is the one seam: a workflow that exists only in this file — "ping app X"
 * lists the app's pods in one step and ends `ponged` — is opened from chat, run by the engine and
 * the workers over audited ports, announced by the notifier, drawn by the console and followed by
 * `sgops say --follow`, and counted by the metrics, with nothing in sgops told about it but the
 * registry it is given.
 */
interface PingContext {
  spec: { requestId: string; requester: string; clusterId: string; namespace: string; app: string };
  attempts: { pinging?: number };
  outputs: { pinging?: { pods: number } };
}

type PingEvent = { type: 'step.done'; step: string; attempt: number; output: { pods: number } };

const pingMachine = setup({
  types: {} as { context: PingContext; events: PingEvent; input: { spec: PingContext['spec'] } },
  actions: {
    // Described, never executed: the engine turns them into outbox rows.
    runStep: (_: unknown, _params: { step: string; attempt: number; delayMs: number }) => {},
    notify: (_: unknown, _params: { template: string; audience: 'requester' }) => {},
    bumpAttempt: assign({ attempts: ({ context }) => ({ pinging: (context.attempts.pinging ?? 0) + 1 }) }),
    storeOutput: assign({ outputs: ({ event }) => ({ pinging: event.output }) }),
  },
  guards: {
    isCurrent: ({ context, event }) => event.attempt === context.attempts.pinging,
  },
}).createMachine({
  id: 'ping',
  initial: 'pinging',
  context: ({ input }) => ({ spec: input.spec, attempts: {}, outputs: {} }),
  states: {
    pinging: {
      entry: [
        'bumpAttempt',
        {
          type: 'runStep',
          params: ({ context }) => ({ step: 'pinging', attempt: context.attempts.pinging ?? 0, delayMs: 0 }),
        },
      ],
      on: {
        'step.done': {
          guard: 'isCurrent',
          target: 'ponged',
          actions: ['storeOutput', { type: 'notify', params: { template: 'pong', audience: 'requester' } }],
        },
      },
    },
    ponged: { type: 'final' },
  },
});

const pingWorkflow: WorkflowModule = {
  name: 'ping',
  machine: pingMachine,
  version: 1,
  // One step, over the same audited ports as every other workflow's.
  steps: (ports) => ({
    pinging: async (context: PingContext) => ({
      status: 'done' as const,
      output: {
        pods: (await ports.cluster.listPods(context.spec.namespace, `app=${context.spec.app}`)).length,
      },
    }),
  }),
  phases: { ponged: 'ok' },
  opens: ({ text }) => {
    const asked = /^ping app ([a-z0-9-]+)$/.exec(text.trim());
    if (!asked) return null;
    const app = asked[1]!;
    return async (turn, deps) => {
      const { defaultClusterId: clusterId, defaultNamespace: namespace } = deps.settings;
      const opened = await openRequest(turn, deps, {
        workflow: 'ping',
        clusterId,
        namespace,
        auditAction: 'ping',
        inputFor: (requestId) => ({
          spec: { requestId, requester: turn.personId, clusterId, namespace, app },
        }),
      });
      await turn.reply(`${opened.requestId}: pinging app ${app}`, {
        requestId: opened.requestId,
        state: opened.state,
      });
    };
  },
  notifications: {
    pong: {
      kind: 'result',
      compose: ({ job, context }: { job: { requestId: string }; context: PingContext }) => ({
        text: `${job.requestId}: pong from app ${context.spec.app}, ${context.outputs.pinging?.pods} pod(s)`,
      }),
    },
  },
  describe: (context: PingContext) => `ping app ${context.spec.app}`,
  view: { labels: { pinging: 'Ping the app', ponged: 'Ponged' } },
};

const registry = [...workflowRegistry, pingWorkflow];

describe('a workflow defined only in a test', () => {
  let world: TestWorld;
  let url = '';
  const { runApps, pods } = worldReaders(() => world);

  beforeAll(async () => {
    world = await startTestWorld(
      'extra-workflow',
      { http: { host: '127.0.0.1', port: 0 }, console: { mode: 'sandbox' } },
      { workflows: registry },
    );
    await runApps(['shop-a', 'shop-b']);
    url = world.app.httpUrl!;
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('opens from a chat line, runs its step over audited ports and tells the requester how it ended', async () => {
    const opened = await world.say('alice', 'ping app shop-a');
    expect(opened.text).toMatch(/^R\w+: pinging app shop-a$/);
    expect(opened).toMatchObject({ state: 'pinging' });
    const id = opened.requestId!;

    const pong = await world.waitFor('alice', (m) => m.requestId === id && m.state === 'ponged');
    const running = (await pods('shop-a')).length;
    expect(running).toBeGreaterThan(0);
    expect(pong).toMatchObject({ kind: 'result', text: `${id}: pong from app shop-a, ${running} pod(s)` });

    const view = await world.app.engine.read(id);
    expect(view).toMatchObject({ state: 'ponged', context: { outputs: { pinging: { pods: running } } } });
    // The step's call is in the audit trail, under the request and its step, like any other.
    const calls = (await world.app.store.listAudit({ requestId: id })).filter((r) => r.kind === 'intent');
    expect(calls).toEqual([
      expect.objectContaining({
        system: 'kubernetes',
        action: 'list pods',
        details: expect.objectContaining({ step: 'pinging' }),
      }),
    ]);
    expect((await world.app.store.listAudit({ requestId: id })).map((r) => r.action)).toContain('ping');

    // Asked about, it is named as its workflow describes it.
    const status = await world.say('alice', `status request ${id}`);
    expect(status).toMatchObject({
      requestId: id,
      state: 'ponged',
      text: `${id} (ping app shop-a) is ponged.`,
    });
  }, 60_000);

  it('is drawn by the console from its own machine, words and phases', async () => {
    const opened = await world.say('alice', 'ping app shop-a');
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.state === 'ponged');

    const res = await fetch(`${url}/api/requests/${id}/view?as=alice`);
    const detail = (await res.json()) as {
      request: { workflow: string; phase: string };
      state: string;
      phase: string;
      statuses: Record<string, string>;
    };
    expect(res.status, JSON.stringify(detail)).toBe(200);
    expect(detail).toMatchObject({
      request: { workflow: 'ping', phase: 'ok' },
      state: 'ponged',
      phase: 'ok',
      statuses: { pinging: 'done', ponged: 'current' },
    });

    const graph = await fetch(`${url}/api/workflows/ping?as=alice`);
    expect(graph.status).toBe(200);
    expect(await graph.json()).toMatchObject({
      states: [expect.objectContaining({ id: 'pinging' }), expect.objectContaining({ id: 'ponged' })],
      labels: { pinging: 'Ping the app', ponged: 'Ponged' },
      phases: { pinging: 'working', ponged: 'ok' },
    });
  }, 60_000);

  it('is followed by sgops say --follow until it comes to rest, as its workflow says', async () => {
    // Only the registry given knows that `ponged` is where a ping rests.
    expect(restingStates(workflowRegistry).has('ponged')).toBe(false);
    expect(restingStates(registry).has('ponged')).toBe(true);

    const { code, lines } = await sayJson(url, 'ping app shop-b', {
      follow: true,
      timeoutMs: 60_000,
      workflows: registry,
    });
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({ state: 'pinging', text: expect.stringMatching(/pinging app shop-b$/) });
    expect(lines.at(-1)).toMatchObject({
      requestId: lines[0]!.requestId,
      state: 'ponged',
      text: expect.stringContaining('pong from app shop-b'),
    });
  }, 90_000);

  it('is counted by the metrics as its requests come to rest, by what its state means', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    // The three pings above, each ended `ponged`, which only the ping workflow calls ok.
    expect(metrics).toContain('sgops_requests_settled_total{workflow="ping",phase="ok"} 3');
    expect(metrics).toContain('sgops_requests_opened_total{workflow="ping"} 3');
  });
});
