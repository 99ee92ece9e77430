import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';

const api = createFakeSlackApi();
let url: string;
let apiUrl: string;

beforeAll(async () => {
  ({ url, apiUrl } = await api.start());
});
afterAll(() => api.stop());

const call = async (method: string, body: string, contentType: string, token = 'xoxb-any') =>
  (await fetch(`${apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  }).then((r) => r.json())) as Record<string, unknown>;

describe('the fake Slack Web API', () => {
  it('answers like Slack to form and JSON bodies and records every call without the token', async () => {
    const form = new URLSearchParams({
      channel: 'C1',
      text: 'hello',
      blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]),
    }).toString();
    const posted = await call('chat.postMessage', form, 'application/x-www-form-urlencoded');
    expect(posted).toMatchObject({ ok: true, channel: 'C1', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const updated = await call(
      'chat.update',
      JSON.stringify({ channel: 'C1', ts: posted['ts'], text: 'edited' }),
      'application/json; charset=utf-8',
    );
    expect(updated).toMatchObject({ ok: true, ts: posted['ts'] });
    expect(
      await call('chat.update', JSON.stringify({ channel: 'C1', ts: '1.1', text: 'x' }), 'application/json'),
    ).toEqual({
      ok: false,
      error: 'message_not_found',
    });
    expect(await call('conversations.open', 'users=U0BOB0001', 'application/x-www-form-urlencoded')).toEqual({
      ok: true,
      channel: { id: 'D0BOB0001' },
    });
    expect(await call('users.info', 'user=U1', 'application/x-www-form-urlencoded')).toMatchObject({
      ok: true,
      user: { id: 'U1' },
    });
    expect(
      await call(
        'views.open',
        JSON.stringify({ trigger_id: 't', view: { type: 'modal' } }),
        'application/json',
      ),
    ).toMatchObject({
      ok: true,
      view: { type: 'modal' },
    });
    expect(
      await call('chat.postEphemeral', 'channel=C1&user=U1&text=psst', 'application/x-www-form-urlencoded'),
    ).toMatchObject({
      ok: true,
    });

    const calls = (await fetch(`${url}/calls`).then((r) => r.json())) as {
      method: string;
      body: Record<string, unknown>;
      at: string;
    }[];
    expect(calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'chat.update',
      'chat.update',
      'conversations.open',
      'users.info',
      'views.open',
      'chat.postEphemeral',
    ]);
    expect(calls[0]?.body['blocks']).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]);
    expect(JSON.stringify(calls)).not.toContain('xoxb-any');
    expect(Number.isNaN(Date.parse(calls[0]!.at))).toBe(false);

    await fetch(`${url}/calls/reset`, { method: 'POST' });
    expect(await fetch(`${url}/calls`).then((r) => r.json())).toEqual([]);
  });

  it('refuses calls without a token, and fails a method on request', async () => {
    const res = await fetch(`${apiUrl}chat.postMessage`, { method: 'POST', body: 'channel=C1&text=x' });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    api.failNext('chat.postMessage', 'channel_not_found');
    expect(await call('chat.postMessage', 'channel=C1&text=x', 'application/x-www-form-urlencoded')).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
  });
});
