import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, withSchemaClient } from '../helpers/pg.ts';
import { requestAsHost } from '../helpers/request-as-host.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const aliceToken = 'alice-console-token-0123456789abcdef';
const auth = { authorization: `Bearer ${aliceToken}` };

/** What must never reach a caller: the statement a database error carries, or a stack frame. */
const internals = /\bselect\b|\bfrom "|\bwhere\b|"workflow_snapshots"|"requests"|\n\s+at |\.ts:\d+/i;

/** Outside the sandbox the console speaks only for the person its bearer token names. */
describe('the console chat API with access tokens', () => {
  let world: TestWorld;
  let url = '';

  beforeAll(async () => {
    world = await startTestWorld('console-api', {
      http: { host: '127.0.0.1', port: 0 },
      console: { mode: 'token', tokens: [{ token: aliceToken, person: 'alice' }] },
    });
    url = world.app.httpUrl!;
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses a line without a token, and with an unknown token', async () => {
    const none = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"as":"bob","text":"help"}',
    });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-real-token-000000000000' },
      body: '{"text":"help"}',
    });
    expect(wrong.status).toBe(401);
  });

  it('takes the person from the token, never from "as"', async () => {
    const res = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
      body: JSON.stringify({ as: 'bob', text: 'help' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { person: string; cursor: number; messageId: string };
    expect(body.person).toBe('alice');
    const messages = await fetch(`${url}/api/messages?after=${body.cursor}&wait=10000`, {
      headers: { authorization: `Bearer ${aliceToken}` },
    });
    const page = (await messages.json()) as {
      messages: { conversationId: string; inReplyTo?: string; text: string }[];
    };
    const reply = page.messages.find((m) => m.inReplyTo === body.messageId);
    expect(reply?.conversationId).toBe('alice');
    expect(reply?.text).toContain('grant pod SG to app');
  });

  it('answers an id that cannot be a request with 404 and a sentence, never the SQL it would have run', async () => {
    const junk = [
      '%00',
      'R7K2%00',
      "R7K2'%20or%201%3D1--",
      '%E2%80%AE',
      `R${'2'.repeat(40)}`,
      '..%2F..%2Fetc',
    ];
    for (const id of junk) {
      for (const route of [`/api/requests/${id}`, `/api/requests/${id}/view`]) {
        const res = await fetch(`${url}${route}`, { headers: auth });
        const body = await res.text();
        expect(res.status, route).toBe(404);
        expect(JSON.parse(body), route).toMatchObject({ code: 'REQUEST_NOT_FOUND' });
        expect(JSON.parse(body).error, route).toContain('is not a request id; ids look like R7K2');
        expect(body, route).not.toMatch(internals);
      }
    }
    const missing = await fetch(`${url}/api/requests/R2222/view`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'There is no request R2222.', code: 'REQUEST_NOT_FOUND' });
    const live = await fetch(`${url}/api/events?request=%00`, { headers: auth });
    expect(live.status).toBe(400);
    expect(await live.json()).toMatchObject({ code: 'COMMAND_INVALID' });
  });

  it('answers a request it cannot read with 500, a stable code and a reference, and keeps the cause to its log', async () => {
    const said = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ text: 'grant pod SG to app my-app in my-namespace' }),
    });
    const { messageId } = (await said.json()) as { messageId: string };
    const opened = await world.app.console.waitFor((m) => m.inReplyTo === messageId && !!m.requestId);
    const id = opened.requestId!;
    await world.waitFor('alice', (m) => m.requestId === id && m.kind === 'plan');
    // A snapshot no machine can resolve: reading it throws xstate's own error, not an AppError.
    const { schema } = world.app.config.database as { schema: string };
    await withSchemaClient(testDatabaseUrl, schema, (client) =>
      client.query(
        `update workflow_snapshots set snapshot = '{"value":"nowhere","context":{}}' where request_id = $1`,
        [id],
      ),
    );
    const res = await fetch(`${url}/api/requests/${id}`, { headers: auth });
    const body = await res.text();
    expect(res.status).toBe(500);
    const answer = JSON.parse(body) as { error: string; code: string };
    expect(answer.code).toBe('INTERNAL');
    expect(answer.error).toMatch(
      /could not answer this request; the operator's log has the details under reference req-\w+/,
    );
    expect(body).not.toContain('nowhere');
    expect(body).not.toMatch(internals);
  });

  it('answers whatever host name it is reached by, as behind an ingress', async () => {
    const res = await requestAsHost(`${url}/api/people`, 'sgops.example.com', { headers: auth });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { people: { id: string }[] }).people.map((p) => p.id)).toEqual(['alice']);
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok' } });
  });
});
