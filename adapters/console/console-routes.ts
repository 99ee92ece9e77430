/**
 * The console's HTTP chat API (and the page that uses it). In the sandbox the caller names the
 * person (`as`); elsewhere the person comes from a bearer token and `as` is ignored.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../src/engine/engine.ts';
import type { ConsoleChat } from './console-chat.ts';

export interface ConsoleRoutesOptions {
  console: ConsoleChat;
  engine: Engine;
  mode: 'sandbox' | 'token';
  tokens: { token: string; person: string }[];
  people: { id: string; name: string; locale?: string }[];
}

const pageUrl = new URL('./console-page.html', import.meta.url);
const maxWaitMs = 25_000;

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const known = new Set(options.people.map((p) => p.id));
  const page = await readFile(pageUrl, 'utf8');

  /** The person a request speaks for, or a reply that says why there is none. */
  function personOf(request: FastifyRequest, reply: FastifyReply, as: unknown): string | null {
    if (options.mode === 'token') {
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      const match = options.tokens.find((t) => t.token === token);
      if (!match) {
        void reply
          .code(401)
          .send({ error: 'A console access token is required (Authorization: Bearer <token>).' });
        return null;
      }
      return match.person;
    }
    if (typeof as !== 'string' || !known.has(as)) {
      void reply.code(400).send({ error: `Say who you are with "as": one of ${[...known].join(', ')}.` });
      return null;
    }
    return as;
  }

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));

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
    const cursor = options.console.lastSeq();
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
      const messages = await options.console.poll(person, after, wait);
      return { messages, cursor: messages.at(-1)?.seq ?? after };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { as?: string } }>(
    '/api/requests/:id',
    async (request, reply) => {
      if (!personOf(request, reply, request.query.as ?? options.people[0]?.id)) return reply;
      const view = await options.engine.read(request.params.id.toUpperCase());
      if (!view) return reply.code(404).send({ error: `There is no request ${request.params.id}.` });
      return { requestId: view.request.id, state: view.state, request: view.request, context: view.context };
    },
  );
}
