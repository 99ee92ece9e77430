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

  it('refuses posts where the bot is no member and takes a slash command response URL 5 times, recording each', async () => {
    const keptOut = await fetch(`${url}/admin/keep-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0PRIVATE', error: 'not_in_channel' }),
    });
    expect(keptOut.status).toBe(200);
    api.keepOut('D0ALICEDAVE');
    const json = 'application/json';
    expect(await call('chat.postMessage', JSON.stringify({ channel: 'C0PRIVATE', text: 'x' }), json)).toEqual(
      {
        ok: false,
        error: 'not_in_channel',
      },
    );
    expect(
      await call(
        'chat.postEphemeral',
        JSON.stringify({ channel: 'D0ALICEDAVE', user: 'U1', text: 'x' }),
        json,
      ),
    ).toEqual({ ok: false, error: 'channel_not_found' });

    const minted = (await (await fetch(`${url}/admin/response-url`, { method: 'POST' })).json()) as {
      response_url: string;
    };
    const respond = (text: string) =>
      fetch(minted.response_url, {
        method: 'POST',
        headers: { 'content-type': json },
        body: JSON.stringify({ response_type: 'ephemeral', text }),
      });
    for (let i = 1; i <= 5; i++) expect((await respond(`answer ${i}`)).status).toBe(200);
    const sixth = await respond('answer 6');
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe('used_url');
    const recorded = (await (
      await fetch(`${url}/responses?url=${encodeURIComponent(minted.response_url)}`)
    ).json()) as {
      body: { text: string; response_type: string };
    }[];
    expect(recorded.map((r) => r.body.text)).toEqual([
      'answer 1',
      'answer 2',
      'answer 3',
      'answer 4',
      'answer 5',
    ]);
    expect(recorded[0]?.body.response_type).toBe('ephemeral');
  });

  it('lets a response URL expire 30 minutes after the command', async () => {
    let at = Date.parse('2026-03-01T08:00:00Z');
    const timed = createFakeSlackApi({ now: () => new Date(at) });
    await timed.start();
    try {
      const responseUrl = timed.responseUrl();
      at += 30 * 60 * 1000 + 1;
      const late = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'too late' }),
      });
      expect(late.status).toBe(404);
      expect(await late.text()).toBe('expired_url');
      expect(timed.responses()).toEqual([]);
    } finally {
      await timed.stop();
    }
  });
});
