/**
 * The console's HTTP API and the page that uses it. In the sandbox the caller names the person
 * (`as`); elsewhere the person comes from a bearer token, `as` is ignored, and every route but
 * the page and its assets answers 401 without a token. Requests are shown only to a person who
 * may see them (maySeeRequest): lists leave the others out, and a view of one answers 404, as for
 * an unknown id. A sandbox read that names nobody shows everything: there anyone may name anyone.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Locale } from '../commands/command.ts';
import type { Engine } from '../engine/engine.ts';
import type { Cluster } from '../ports/cluster.ts';
import type { Policy } from '../policy/create-policy.ts';
import { zhStateNames } from '../chat/state-names.ts';
import type { RequestRow, Store } from '../store/store.ts';
import type { ConsoleConversations } from './console-conversations.ts';
import { consoleAccess, requestIdOf } from './console-access.ts';
import { consoleReads } from './console-reads.ts';
import { requestSummary } from './request-views.ts';
import type { ConsoleWorkflow } from './request-views.ts';
import { phaseOf } from '../../workflows/workflow-module.ts';
import { serveEventStream } from './serve-event-stream.ts';
import type { EventStream } from './serve-event-stream.ts';
import { workflowGraph } from './workflow-graph.ts';
import type { WorkflowGraph } from './workflow-graph.ts';

export interface ConsoleRoutesOptions {
  /** The console chat platform's conversations (adapters/console/console-chat.ts). */
  console: ConsoleConversations;
  engine: Engine;
  /** Whose requests each person may see (read scope). */
  policy: Policy;
  mode: 'sandbox' | 'token';
  tokens: { token: string; person: string }[];
  people: { id: string; name: string; locale?: string }[];
  /**
   * The request list and the audit timeline come from here. Without it the list holds the
   * requests the console has seen in its messages, and the timeline is unavailable.
   */
  store?: Pick<Store, 'listRequests' | 'listAudit'>;
  /** Every registered workflow: the machine its diagram is drawn from, what its states mean, its words. */
  workflows: readonly ConsoleWorkflow[];
  /**
   * A cluster's port, audited under the person looking: the view of a request whose pods are
   * restarting lists them live. Without it the view shows them once verified.
   */
  clusterFor?: (person: string, clusterId: string) => Promise<Cluster>;
  /** How often a live view looks again when nothing was said (ms). */
  livePollMs?: number;
}

const assets: Record<string, string> = {
  'console-page.css': 'text/css; charset=utf-8',
  'console-diagram.css': 'text/css; charset=utf-8',
  'console-page.js': 'text/javascript; charset=utf-8',
  'console-api.js': 'text/javascript; charset=utf-8',
  'console-chat-pane.js': 'text/javascript; charset=utf-8',
  'console-requests-pane.js': 'text/javascript; charset=utf-8',
  'console-detail-pane.js': 'text/javascript; charset=utf-8',
  'console-actions.js': 'text/javascript; charset=utf-8',
  'console-live-pods.js': 'text/javascript; charset=utf-8',
  'console-words.js': 'text/javascript; charset=utf-8',
  'console-explain.js': 'text/javascript; charset=utf-8',
  'console-resizer.js': 'text/javascript; charset=utf-8',
};
const maxWaitMs = 25_000;

/**
 * The page's scripts and styles, read once. The 中文 state names are chat's, served as a module,
 * so chat and console say the same.
 */
async function consoleAssets(): Promise<Map<string, { type: string; body: string }>> {
  const files = new Map(
    await Promise.all(
      Object.entries(assets).map(
        async ([name, type]) =>
          [name, { type, body: await readFile(new URL(name, import.meta.url), 'utf8') }] as const,
      ),
    ),
  );
  files.set('console-state-names.js', {
    type: 'text/javascript; charset=utf-8',
    body: `export const zhStateNames = ${JSON.stringify(zhStateNames)};\n`,
  });
  return files;
}

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const known = new Set(options.people.map((p) => p.id));
  const page = await readFile(new URL('./console-page.html', import.meta.url), 'utf8');
  const files = await consoleAssets();
  const graphs = new Map<string, WorkflowGraph>(
    options.workflows.map((w) => [w.name, workflowGraph(w.machine)]),
  );
  const views = new Map(options.workflows.map((w) => [w.name, w]));
  const summaryOf = (row: RequestRow, state = row.state, locale: Locale = 'en') =>
    requestSummary(row, views.get(row.workflow), state, locale);
  const streams = new Set<EventStream>();
  // Closing ends live streams and waiting long-polls at once, so a browser left open never holds up a stop.
  const closing = new AbortController();

  const { personOf, viewerOf, mayView } = consoleAccess(options, known);
  const { listRequests, readDetail } = consoleReads(options, { known, graphs, views, summaryOf, mayView });

  app.addHook('preClose', async () => {
    closing.abort();
    for (const stream of streams) stream.close();
  });

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const file = files.get(request.params.name);
    if (!file) return reply.code(404).send({ error: 'No such file.' });
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  });

  app.get('/api/people', async (request, reply) => {
    if (options.mode === 'token') {
      const person = personOf(request, reply, undefined);
      if (!person) return reply;
      return { people: options.people.filter((p) => p.id === person), mode: options.mode };
    }
    return { people: options.people, mode: options.mode };
  });

  app.post<{ Body: { as?: string; text?: string } }>('/api/say', async (request, reply) => {
    const person = personOf(request, reply, request.body?.as);
    if (!person) return reply;
    const text = request.body?.text;
    if (typeof text !== 'string' || text.trim() === '')
      return reply.code(400).send({ error: 'Send the line as "text".' });
    const cursor = await options.console.lastSeq();
    const messageId = await options.console.say(person, text);
    return { messageId, person, cursor };
  });

  app.get<{ Querystring: { as?: string; after?: string; wait?: string } }>(
    '/api/messages',
    async (request, reply) => {
      const person = personOf(request, reply, request.query.as);
      if (!person) return reply;
      const after = Number(request.query.after ?? 0) || 0;
      const wait = Math.min(Math.max(Number(request.query.wait ?? 0) || 0, 0), maxWaitMs);
      const messages = await options.console.poll(person, after, wait, closing.signal);
      return { messages, cursor: messages.at(-1)?.seq ?? after };
    },
  );

  // A diagram tells nothing of any request: a token is all it needs.
  app.get<{ Params: { name: string } }>('/api/workflows/:name', async (request, reply) => {
    if (!viewerOf(request, reply, undefined)) return reply;
    const graph = graphs.get(request.params.name);
    if (!graph) return reply.code(404).send({ error: `There is no workflow ${request.params.name}.` });
    // The words under its states and what each means, from the workflow itself.
    const workflow = views.get(request.params.name);
    return {
      ...graph,
      labels: workflow?.view.labels ?? {},
      phases: Object.fromEntries(
        graph.states.map((s) => [s.id, workflow ? phaseOf(workflow, s.id) : 'working']),
      ),
    };
  });

  app.get<{ Querystring: { as?: string } }>('/api/requests', async (request, reply) => {
    const viewer = viewerOf(request, reply, request.query.as);
    if (!viewer) return reply;
    return { requests: await listRequests(viewer) };
  });

  app.get<{ Params: { id: string }; Querystring: { as?: string } }>(
    '/api/requests/:id',
    async (request, reply) => {
      const person = personOf(request, reply, request.query.as ?? options.people[0]?.id);
      if (!person) return reply;
      const id = requestIdOf(reply, request.params.id, 404);
      if (!id) return reply;
      const view = await options.engine.read(id);
      // Out of sight is answered as unknown: the same 404.
      if (!view || !mayView({ person }, { ...view.request, context: view.context }))
        return reply.code(404).send({ error: `There is no request ${id}.`, code: 'REQUEST_NOT_FOUND' });
      return { requestId: view.request.id, state: view.state, request: view.request, context: view.context };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { as?: string } }>(
    '/api/requests/:id/view',
    async (request, reply) => {
      const viewer = viewerOf(request, reply, request.query.as);
      if (!viewer) return reply;
      const id = requestIdOf(reply, request.params.id, 404);
      if (!id) return reply;
      const detail = await readDetail(id, viewer);
      if (!detail)
        return reply.code(404).send({ error: `There is no request ${id}.`, code: 'REQUEST_NOT_FOUND' });
      return detail;
    },
  );

  // The list, and the selected request when one is named, sent again whenever either changes —
  // each as its viewer may see it, looked at again on every change.
  app.get<{ Querystring: { request?: string; as?: string } }>('/api/events', async (request, reply) => {
    const viewer = viewerOf(request, reply, request.query.as);
    if (!viewer) return reply;
    const named = request.query.request?.trim();
    const selected = named ? requestIdOf(reply, named, 400) : null;
    if (named && !selected) return reply;
    reply.hijack();
    const stream = serveEventStream(reply.raw, {
      sources: [
        { event: 'requests', load: async () => ({ requests: await listRequests(viewer) }) },
        ...(selected
          ? [
              {
                event: 'request',
                load: async () => (await readDetail(selected, viewer)) ?? { missing: selected },
              },
            ]
          : []),
      ],
      wake: (listener) => options.console.subscribe(listener),
      pollMs: options.livePollMs ?? 1000,
      heartbeatMs: 15_000,
      onError: (error) => request.log.warn({ err: error }, 'console live view could not look'),
    });
    streams.add(stream);
    void stream.done.finally(() => streams.delete(stream));
  });
}
