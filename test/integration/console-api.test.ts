import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const aliceToken = 'alice-console-token-0123456789abcdef';

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

  it('reports health and readiness', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok' } });
  });
});
