/**
 * The console's read API and live stream against a whole world: the request list, the request
 * view (diagram statuses, plan, audit timeline), Server-Sent Events that follow a request as it
 * moves, tokens outside the sandbox, and a server that still closes with a stream open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer } from '../helpers/console-server.ts';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import type { ConsoleRoutesOptions } from '../../src/console/console-routes.ts';
import type { RequestDetail, RequestSummary } from '../../src/console/request-views.ts';
import type { WorkflowGraph } from '../../src/console/workflow-graph.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { serverSentEvents } from '../helpers/server-sent-events.ts';

const token = 'carol-console-token-0123456789abcdef';

/** Reads Server-Sent Events from `url` until `until` accepts one; returns every event seen. */
async function readEvents(
  url: string,
  until: (event: string, data: unknown) => boolean,
  init: RequestInit = {},
  timeoutMs = 20_000,
): Promise<{ event: string; data: unknown }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seen: { event: string; data: unknown }[] = [];
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    for await (const event of serverSentEvents(res)) {
      seen.push(event);
      if (until(event.event, event.data)) return seen;
    }
    return seen;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

describe('the console request views and live stream', () => {
  let world: TestWorld;
  const servers: HttpServer[] = [];
  let url = '';
  let bare = '';
  let guarded = '';

  beforeAll(async () => {
    world = await startTestWorld('console-live');
    const serve = async (extra: Partial<ConsoleRoutesOptions>) => {
      const server = await startConsoleServer(world.app, samplePolicy.people, {
        store: undefined,
        livePollMs: 200,
        ...extra,
      });
      servers.push(server);
      return server.url;
    };
    url = await serve({ store: world.app.store });
    bare = await serve({});
    guarded = await serve({ store: world.app.store, mode: 'token', tokens: [{ token, person: 'carol' }] });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await world?.stop();
  });

  it('serves the grant workflow’s graph and the page’s own files, and nothing else from disk', async () => {
    const graph = (await (await fetch(`${url}/api/workflows/grant`)).json()) as WorkflowGraph;
    expect(graph.mainPath[0]).toBe('planning');
    expect(graph.mainPath.at(-1)).toBe('done');
    expect((await fetch(`${url}/api/workflows/nothing`)).status).toBe(404);
    const script = await fetch(`${url}/assets/console-page.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('/api/events');
    expect((await fetch(`${url}/assets/console-routes.ts`)).status).toBe(404);
    expect((await fetch(`${url}/assets/..%2Fconsole-routes.ts`)).status).toBe(404);
    expect(await (await fetch(`${url}/`)).text()).toContain('/assets/console-page.css');
  });

  it('follows a request live from approval to denial, with its plan and audit', async () => {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.state === 'awaitingApproval');

    const first = await readEvents(
      `${url}/api/events?request=${id}`,
      (event, data) => event === 'request' && (data as RequestDetail).state === 'awaitingApproval',
    );
    const list = first.find((e) => e.event === 'requests')!.data as { requests: RequestSummary[] };
    expect(list.requests[0]).toMatchObject({
      id,
      requester: 'alice',
      state: 'awaitingApproval',
      what: 'app my-app in my-namespace on cls-sandbox1',
    });
    const waiting = first.at(-1)!.data as RequestDetail;
    expect(waiting.statuses).toMatchObject({
      planning: 'done',
      awaitingApproval: 'current',
      allowDns: 'pending',
    });
    expect(waiting.plan?.changes.map((c) => c.command).join('\n')).toContain('kubectl apply');
    expect(waiting.plan?.pods).toHaveLength(2);
    expect(waiting.verification).toBeNull();
    expect(waiting.audit?.[0]).toMatchObject({ system: 'chat', action: 'request', outcome: 'accepted' });
    const describe = waiting.audit?.find((a) => a.action === 'DescribeClusters');
    expect(describe).toMatchObject({ system: 'tencentcloud', outcome: 'ok', step: 'planning' });
    expect(describe?.cloudRequestId).toBeTruthy();

    // The stream notices the denial without being asked again.
    const following = readEvents(
      `${url}/api/events?request=${id.toLowerCase()}`,
      (event, data) => event === 'request' && (data as RequestDetail).state === 'denied',
    );
    await new Promise((r) => setTimeout(r, 300));
    await world.say('bob', `deny ${id} not this week`);
    const denied = (await following).at(-1)!.data as RequestDetail;
    expect(denied.statuses).toMatchObject({
      planning: 'done',
      awaitingApproval: 'failed',
      ensurePodSecurityGroup: 'skipped',
      done: 'skipped',
      denied: 'current',
    });
    expect(denied.decision).toMatchObject({ by: 'bob', reason: 'not this week' });
    expect(denied.audit?.some((a) => a.system === 'chat' && a.actor === 'bob')).toBe(true);

    const view = (await (await fetch(`${url}/api/requests/${id}/view`)).json()) as RequestDetail;
    expect(view.state).toBe('denied');
    expect((await fetch(`${url}/api/requests/NOPE9/view`)).status).toBe(404);
  });

  it('without a store, lists the requests the console has seen and leaves the audit out', async () => {
    const { requests } = (await (await fetch(`${bare}/api/requests`)).json()) as {
      requests: RequestSummary[];
    };
    expect(requests.length).toBeGreaterThan(0);
    const view = (await (
      await fetch(`${bare}/api/requests/${requests[0]!.id}/view`)
    ).json()) as RequestDetail;
    expect(view.audit).toBeNull();
    expect(view.plan).not.toBeNull();
  });

  it('answers 401 outside the sandbox without the right token, and serves the views with it', async () => {
    for (const route of ['/api/requests', '/api/workflows/grant', '/api/events', '/api/requests/X/view'])
      expect(
        (await fetch(`${guarded}${route}`, { headers: { authorization: 'Bearer wrong' } })).status,
        route,
      ).toBe(401);
    expect((await fetch(`${guarded}/`)).status).toBe(200);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${guarded}/api/requests`, auth)).status).toBe(200);
    const events = await readEvents(`${guarded}/api/events`, (event) => event === 'requests', auth);
    expect(events[0]?.event).toBe('requests');
  });

  it('still closes promptly while a browser holds a live stream and a long-poll open', async () => {
    const server = await startConsoleServer(world.app, samplePolicy.people);
    const res = await fetch(`${server.url}/api/events`);
    const reader = res.body!.getReader();
    await reader.read();
    const waiting = fetch(`${server.url}/api/messages?as=alice&after=999999999&wait=20000`);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await (await waiting).json()).toEqual({ messages: [], cursor: 999999999 });
    await reader.cancel().catch(() => {});
  });
});
