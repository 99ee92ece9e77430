import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeWeComApi } from '../../../../adapters/wecom/fake-api/index.ts';
import type { FakeWeComApi, FakeWeComCall } from '../../../../adapters/wecom/fake-api/index.ts';

let fake: FakeWeComApi;
let url: string;

beforeEach(async () => {
  fake = createFakeWeComApi({ corpId: 'ww1', corpSecret: 'secret', agentId: 7 });
  url = (await fake.start()).url;
});

afterEach(async () => {
  await fake.stop();
});

const token = async () =>
  (
    (await (await fetch(`${url}/cgi-bin/gettoken?corpid=ww1&corpsecret=secret`)).json()) as {
      access_token: string;
    }
  ).access_token;

const send = async (accessToken: string, body: unknown) =>
  (await (
    await fetch(`${url}/cgi-bin/message/send?access_token=${accessToken}`, {
      method: 'POST',
      body: JSON.stringify(body),
    })
  ).json()) as Record<string, unknown>;

describe('fake WeCom API', () => {
  it('records calls and serves them at GET /calls, without the secret', async () => {
    const t = await token();
    await send(t, { touser: 'u', agentid: 7, msgtype: 'text', text: { content: 'hi' } });
    const calls = (await (await fetch(`${url}/calls`)).json()) as FakeWeComCall[];
    expect(calls.map((c) => c.path)).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send']);
    expect(calls[1]).toMatchObject({ body: { touser: 'u', text: { content: 'hi' } }, errcode: 0 });
    expect(new Date(calls[1]?.at ?? '').getTime()).not.toBeNaN();
    expect(JSON.stringify(calls)).not.toContain('secret');
    await fetch(`${url}/calls/reset`, { method: 'POST' });
    expect(await (await fetch(`${url}/calls`)).json()).toEqual([]);
  });

  it("answers WeCom's errcodes for missing, unknown and expired tokens", async () => {
    const body = { touser: 'u', agentid: 7, msgtype: 'text', text: { content: 'hi' } };
    expect((await send('', body))['errcode']).toBe(41001);
    expect((await send('made-up', body))['errcode']).toBe(40014);
    const t = await token();
    await fetch(`${url}/admin/expire-tokens`, { method: 'POST' });
    expect((await send(t, body))['errcode']).toBe(42001);
  });

  it('fails the next calls with an injected errcode, then recovers', async () => {
    const t = await token();
    await fetch(`${url}/admin/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ errcode: 45009, count: 2 }),
    });
    const body = { touser: 'u', agentid: 7, msgtype: 'text', text: { content: 'hi' } };
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await send(t, body))['errcode']);
    expect(codes).toEqual([45009, 45009, 0]);
  });

  it('refuses what WeCom refuses: wrong agent, long text, bad task ids', async () => {
    const t = await token();
    const card = (taskId: string) => ({
      touser: 'u',
      agentid: 7,
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        main_title: { title: 't' },
        task_id: taskId,
        button_list: [{ text: 'A', key: 'a' }],
      },
    });
    expect(
      (await send(t, { touser: 'u', agentid: 8, msgtype: 'text', text: { content: 'x' } }))['errcode'],
    ).toBe(40056);
    expect(
      (await send(t, { touser: 'u', agentid: 7, msgtype: 'text', text: { content: 'x'.repeat(2049) } }))[
        'errcode'
      ],
    ).toBe(45002);
    expect((await send(t, card('bad:id')))['errcode']).toBe(40058);
    expect((await send(t, card('good-id')))['response_code']).toBe(fake.responseCodeOf('good-id'));
    expect((await send(t, card('good-id')))['errcode']).toBe(40058);
  });
});
