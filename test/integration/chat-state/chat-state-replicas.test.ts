/**
 * Chat state that survives restarts and is shared by replicas: several sgops instances over one
 * Postgres schema and one Redis prefix. A console reply made by one instance reaches a client of
 * another (history, long-poll and live stream); WeCom cards sent before a restart are updated
 * after a click handled by the next instance; a Slack request keeps its one thread, and its one
 * progress message is updated in place by an instance started while the request was running;
 * an instance deletes expired thread entries and cards when it starts.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../../helpers/chat-world.ts';
import { createApp } from '../../../src/main.ts';
import type { App } from '../../../src/main.ts';
import { startConsoleServer } from '../../helpers/console-server.ts';
import type { HttpServer } from '../../../src/http/start-http-server.ts';
import type { ChatFakes } from '../../../src/sandbox/start-chat-fakes.ts';
import type { ConsoleMessage } from '../../../adapters/console/console-chat.ts';
import type { RequestSummary } from '../../../src/console/request-views.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { dropSchema, testDatabaseUrl } from '../../helpers/pg.ts';
import { postSlackForm, postWeComCardClick } from '../../helpers/signed-chat-posts.ts';
import { slashCommandForm } from '../../helpers/slack-payloads.ts';
import { serverSentEvents } from '../../helpers/server-sent-events.ts';
import type { TestWorld } from '../../helpers/test-world.ts';
import { chatPeople, sreApprovedPolicy } from '../../helpers/chat-people.ts';

interface SlackCall {
  method: string;
  body: { channel?: string; ts?: string; thread_ts?: string; text?: string };
}
interface WeComCall {
  path: string;
  body: {
    touser?: string;
    userids?: string[];
    msgtype?: string;
    response_code?: string;
    template_card?: { task_id: string; button_list: { key: string }[] };
    text?: { content?: string };
  };
}

async function eventually<T>(what: string, look: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await look();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A live Server-Sent Events reader: every event seen so far, and a wait for the next that matches. */
function openEventStream(url: string) {
  const controller = new AbortController();
  const seen: { event: string; data: unknown }[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    const res = await fetch(url, { signal: controller.signal });
    for await (const event of serverSentEvents(res)) {
      seen.push(event);
      for (const wake of waiters) wake();
    }
  })().catch(() => {});
  return {
    seen,
    async next(match: (event: string, data: unknown) => boolean, ms: number) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = seen.find((e) => match(e.event, e.data));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no matching live event in time');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

describe('chat state shared by replicas and kept across restarts', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  /** The instance that is running now (the world's own at first). */
  let current: App;
  const extra: App[] = [];
  const servers: HttpServer[] = [];

  /** Another sgops instance over the same database, Redis prefix, cloud and cluster. */
  async function startInstance(): Promise<App> {
    const app = await createApp(world.app.config, { logger: pino({ level: world.app.config.logLevel }) });
    extra.push(app);
    await app.start();
    return app;
  }

  beforeAll(async () => {
    ({ world, fakes } = await startChatWorld('chat-state-replicas', {
      policy: sreApprovedPolicy(),
      // The console is served (by the test's own servers below), so replicas share its live messages.
      console: { mode: 'sandbox' },
    }));
    current = world.app;
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    // Each instance is stopped once: the world's own app may already be.
    for (const app of [world.app, ...extra]) await stopOnce(app);
    await Promise.all([world?.emulator.stop(), world?.simulator.stop(), fakes?.stop()]);
    const schema = world?.app.config.database.kind === 'pg' ? world.app.config.database.schema : undefined;
    if (schema) await dropSchema(testDatabaseUrl, schema);
  });

  const stopped = new Set<App>();
  async function stopOnce(app: App | undefined): Promise<void> {
    if (!app || stopped.has(app)) return;
    stopped.add(app);
    await app.stop();
  }

  async function slackCalls(): Promise<SlackCall[]> {
    return (await (await fetch(`${fakes.slack.fakeApiUrl}/calls`)).json()) as SlackCall[];
  }
  async function weComCalls(): Promise<WeComCall[]> {
    return (await (await fetch(`${fakes.wecom.fakeApiUrl}/calls`)).json()) as WeComCall[];
  }

  it('shows a console reply made by one instance to a client of another: history, long-poll and live view', async () => {
    const a = world.app;
    const b = await startInstance();
    // B's console with a live view that looks again only once a minute unless something is said.
    const server = await startConsoleServer(b, chatPeople, { livePollMs: 60_000 });
    servers.push(server);
    const live = openEventStream(`${server.url}/api/events`);
    await live.next((event) => event === 'requests', 10_000);

    const cursor = await b.console.lastSeq();
    const longPoll = fetch(`${server.url}/api/messages?as=alice&after=${cursor}&wait=20000`).then(
      async (res) => (await res.json()) as { messages: ConsoleMessage[]; cursor: number },
    );
    const heardByB = b.console.waitFor((m) => m.text === 'RQ7XZ was denied by bob.', 15_000);
    // A request appears without a word to the console; then A's worker tells alice about it.
    await a.store.transaction((tx) =>
      tx.insertRequest({
        id: 'RQ7XZ',
        workflow: 'grant',
        requester: 'alice',
        clusterId: 'cls-sandbox1',
        namespace: 'my-namespace',
        spec: { target: { kind: 'app', app: 'quiet-app' } },
        origin: { platform: 'console', conversationId: 'alice' },
        state: 'denied',
      }),
    );
    const started = Date.now();
    await a.console.send({
      platform: 'console',
      conversationId: 'alice',
      locale: 'en',
      kind: 'result',
      text: 'RQ7XZ was denied by bob.',
      requestId: 'RQ7XZ',
      state: 'denied',
    });

    const polled = await longPoll;
    expect(polled.messages.map((m) => m.text)).toEqual(['RQ7XZ was denied by bob.']);
    expect(polled.cursor).toBeGreaterThan(cursor);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await heardByB).requestId).toBe('RQ7XZ');
    // The live view was woken by A's message: far sooner than its one-minute look.
    const listed = await live.next(
      (event, data) =>
        event === 'requests' &&
        (data as { requests: RequestSummary[] }).requests.some((r) => r.id === 'RQ7XZ'),
      15_000,
    );
    expect(listed).toBeDefined();
    await live.close();
    // And the history B serves holds it, for a client that connects later.
    const history = (await (await fetch(`${server.url}/api/messages?as=alice&after=0`)).json()) as {
      messages: ConsoleMessage[];
    };
    expect(
      history.messages.some((m) => m.text === 'RQ7XZ was denied by bob.' && m.seq === polled.cursor),
    ).toBe(true);
    await stopOnce(b);
  });

  let requestId = '';
  let rootTs = '';

  it('updates WeCom cards sent before a restart after a click handled by the next instance, the other approver’s too', async () => {
    // Only one instance runs from here on, so which one sent a card is never in doubt.
    for (const app of extra) await stopOnce(app);
    const since = Date.now() - 1000;
    const res = await postSlackForm(
      current.httpUrl!,
      fakes.slack.signingSecret,
      slashCommandForm({
        user: 'U0ALICE',
        text: 'grant pod SG to app my-app in my-namespace',
        triggerId: `${Date.now()}.1`,
      }),
    );
    expect(res.status).toBe(200);
    requestId = await eventually('the request', async () => {
      const mine = await current.store.listRequests({ requester: 'alice' });
      return mine.find((r) => r.createdAt.getTime() >= since && r.state === 'awaitingApproval')?.id;
    });
    const cardFor = async (user: string) =>
      eventually(`${user}'s WeCom card`, async () => {
        const sent = (await weComCalls()).find(
          (c) =>
            c.body.touser === user &&
            c.body.msgtype === 'template_card' &&
            c.body.template_card?.button_list.some((b) => b.key.endsWith(requestId)),
        );
        return sent?.body.template_card;
      });
    const bobCard = await cardFor('bob');
    const carolCard = await cardFor('carol');
    // The thread alice's request lives in, started by the first instance.
    rootTs = await eventually('the thread of the request', async () => {
      const inThread = (await slackCalls()).find(
        (c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DEV' && c.body.thread_ts,
      );
      return inThread?.body.thread_ts;
    });

    await stopOnce(current);
    current = await startInstance();
    // Cloud calls slow down, so the request is still running when this instance is replaced next.
    world.emulator.faults.configure({ seed: 1, latencyMs: 700 });

    const clicked = await postWeComCardClick(current.httpUrl!, fakes.wecom, {
      user: 'bob',
      eventKey: bobCard.button_list.find((b) => b.key.startsWith('approve'))!.key,
      taskId: bobCard.task_id,
      responseCode: fakes.wecomApi.responseCodeOf(bobCard.task_id)!,
    });
    expect(clicked.status).toBe(200);

    const updates = await eventually('both cards updated', async () => {
      const found = (await weComCalls()).filter((c) => c.path === '/cgi-bin/message/update_template_card');
      const users = new Set(found.flatMap((c) => c.body.userids ?? []));
      return users.has('bob') && users.has('carol') ? found : undefined;
    });
    // carol never clicked: only the card the first instance saved knows her response code.
    expect(updates.find((c) => c.body.userids?.includes('carol'))?.body.response_code).toBe(
      fakes.wecomApi.responseCodeOf(carolCard.task_id),
    );
    expect(updates.find((c) => c.body.userids?.includes('bob'))?.body.response_code).toBeTruthy();
    // Both that could close bob's card have done so: the answer to his click (its text follows its
    // card update) and the notifier (which closes the decider's cards before it tells carol).
    await eventually('bob answered and carol told', async () => {
      const told = (user: string, words: string) =>
        calls.some((c) => c.body.touser === user && c.body.text?.content?.includes(words));
      const calls = await weComCalls();
      return told('bob', `${requestId} approved by bob`) && told('carol', `${requestId} 已由 bob 批准`);
    });
    // Each card was closed exactly once: whoever claims it first updates it, the other leaves it.
    const all = (await weComCalls()).filter((c) => c.path === '/cgi-bin/message/update_template_card');
    expect(all.map((c) => c.body.userids).sort()).toEqual([['bob'], ['carol']]);
    expect((await current.store.listApprovals(requestId)).map((a) => [a.personId, a.platform])).toEqual([
      ['bob', 'wecom'],
    ]);
  });

  it('keeps a Slack request in its one thread and updates its progress message in place across a restart mid-run', async () => {
    expect(requestId).not.toBe('');
    const isProgress = (c: SlackCall) => c.body.text?.includes(`Progress of ${requestId}`) ?? false;
    const progressTs = await eventually('the progress message', async () => {
      const calls = await slackCalls();
      if (!calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0DEV' && isProgress(c)))
        return undefined;
      return calls.find((c) => c.method === 'chat.update' && c.body.channel === 'C0DEV' && isProgress(c))
        ?.body.ts;
    });
    const state = (await current.engine.read(requestId))!.state;
    expect(['done', 'needsAttention', 'failed']).not.toContain(state);

    await stopOnce(current);
    const restartedAt = (await slackCalls()).length;
    current = await startInstance();
    world.emulator.faults.clear();
    await eventually('the request to finish', async () => {
      const view = await current.engine.read(requestId);
      return view && ['done', 'needsAttention', 'failed'].includes(view.state) ? view.state : undefined;
    });
    const final = await eventually(
      'the final progress update',
      async () => {
        const after = (await slackCalls()).slice(restartedAt);
        return after.find(
          (c) => c.method === 'chat.update' && isProgress(c) && c.body.text?.includes('`done`'),
        );
      },
      20_000,
    );

    // In place: the update after the restart edits the message posted before it.
    expect(final.body).toMatchObject({ channel: 'C0DEV', ts: progressTs });
    const calls = await slackCalls();
    const about = calls.filter(
      (c) =>
        c.body.channel === 'C0DEV' && c.method === 'chat.postMessage' && c.body.text?.includes(requestId),
    );
    // One progress message, one thread: everything after its first message went into it.
    expect(about.filter(isProgress)).toHaveLength(1);
    expect(about.filter((c) => !c.body.thread_ts)).toHaveLength(1);
    expect(about.slice(1).every((c) => c.body.thread_ts === rootTs)).toBe(true);
    expect(
      calls.slice(restartedAt).some((c) => c.method === 'chat.postMessage' && c.body.thread_ts === rootTs),
    ).toBe(true);
    // bob's Slack approval card, posted before the first restart, is closed in place too — by a
    // notify job that a restart may leave for the next instance to pick up, so eventually.
    await eventually(
      "bob's approval card closed in place",
      async () =>
        (await slackCalls()).some(
          (c) => c.method === 'chat.update' && c.body.channel === 'D0BOB' && c.body.text?.includes(requestId),
        ) || undefined,
      20_000,
    );
  });

  it('deletes expired Slack thread entries and WeCom cards when an instance starts, not when it writes', async () => {
    const { database, audit } = world.app.config;
    if (database.kind !== 'pg') throw new Error('the world runs on Postgres');
    // A handle whose clock stands at 1970, so it still reads rows the app sees as expired.
    const rows = await createStore({
      kind: 'pg',
      url: database.url,
      ...(database.schema ? { schema: database.schema } : {}),
      auditKey: audit.key,
      clock: { now: () => new Date(0) },
    });
    try {
      await rows.putSlackThread({
        key: 'dm:U0GONE',
        value: 'D0GONE',
        requestId: null,
        expiresAt: new Date(Date.now() - 60_000),
      });
      await rows.saveWeComCard({
        taskId: 'task-gone',
        requestId,
        userId: 'bob',
        locale: 'en',
        responseCode: 'rc-gone',
        sentAt: new Date(Date.now() - 4 * 24 * 3600 * 1000),
      });
      expect(await rows.getSlackThread('dm:U0GONE')).toBe('D0GONE');

      await startInstance();
      expect(await rows.getSlackThread('dm:U0GONE')).toBeNull();
      expect(await rows.getWeComCard('task-gone', new Date(0))).toBeNull();
      // Live rows stay: the request's thread is still known.
      expect(await rows.getSlackThread(`root:C0DEV:${rootTs}`)).toBe(requestId);
    } finally {
      await rows.close();
    }
  });
});
