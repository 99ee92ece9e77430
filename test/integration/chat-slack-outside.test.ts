import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { postSlackForm } from '../helpers/signed-chat-posts.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { approvalButtonPayload, slashCommandForm } from '../helpers/slack-payloads.ts';
import { until } from '../helpers/until.ts';
import { chatPeople, sreApprovedPolicy } from '../helpers/chat-people.ts';

interface Recorded {
  body: { text?: string; blocks?: unknown[]; response_type?: string };
}
interface Message {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
}

/**
 * alice types /sgops where the bot is no member — a DM with dave, a private channel it was not
 * invited to. Slack refuses the bot's posts there; the command's response_url and alice's DM with
 * the bot carry everything, as the fake Slack API recorded it over HTTP.
 */
describe('a slash command typed where the bot cannot post', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';
  let fakeUrl = '';

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('chat-slack-outside', {
      policy: sreApprovedPolicy([
        ...chatPeople,
        { id: 'dave', name: 'Dave', slack: 'U0DAVE', wecom: 'dave' },
      ]),
    }));
    fakeUrl = fakes.slack.fakeApiUrl;
    await keepOut('D0ALICEDAVE', 'channel_not_found');
    await keepOut('C0PRIVATE', 'not_in_channel');
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  async function keepOut(channel: string, error: string) {
    const res = await fetch(`${fakeUrl}/admin/keep-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, error }),
    });
    expect(res.status).toBe(200);
  }

  async function slashCommand(user: string, channel: string, text: string): Promise<string> {
    const minted = await fetch(`${fakeUrl}/admin/response-url`, { method: 'POST' });
    const { response_url } = (await minted.json()) as { response_url: string };
    const form = { ...slashCommandForm({ user, channel, text }), response_url };
    expect((await postSlackForm(url, fakes.slack.signingSecret, form)).status).toBe(200);
    return response_url;
  }

  async function responses(responseUrl: string): Promise<Recorded[]> {
    return (await (
      await fetch(`${fakeUrl}/responses?url=${encodeURIComponent(responseUrl)}`)
    ).json()) as Recorded[];
  }

  async function messages(channel: string): Promise<Message[]> {
    return (await (await fetch(`${fakeUrl}/messages?channel=${channel}`)).json()) as Message[];
  }

  const shown = (m: { text?: string; blocks?: unknown[] }) =>
    `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

  it('answers /sgops help in a private channel the bot is not in through the response URL, to alice only', async () => {
    const responseUrl = await slashCommand('U0ALICE', 'C0PRIVATE', 'help');
    const answer = await until(
      'an answer at the response URL',
      async () => (await responses(responseUrl))[0],
      15_000,
    );
    expect(answer.body.response_type).toBe('ephemeral');
    expect(shown(answer.body)).toMatch(/grant/i);
    expect(await messages('C0PRIVATE')).toEqual([]);
  });

  it('opens alice’s request from a DM with dave, answers there through the response URL and tells the rest in her DM with the bot, to the end', async () => {
    const since = Date.now() - 1000;
    const responseUrl = await slashCommand(
      'U0ALICE',
      'D0ALICEDAVE',
      'grant pod SG to app my-app in my-namespace',
    );
    const requestId = await until(
      'a request by alice',
      async () =>
        (await world.app.store.listRequests({ requester: 'alice' })).find(
          (r) => r.createdAt.getTime() >= since,
        )?.id,
      20_000,
    );
    const opened = await until(
      'the answer to the command at its response URL',
      async () => (await responses(responseUrl)).find((r) => shown(r.body).includes(requestId)),
      15_000,
    );
    expect(opened.body.response_type).toBe('ephemeral');
    expect(shown(opened.body)).toContain('comes in your DM with sgops');

    await stateBecomes(world, requestId, ['awaitingApproval']);
    const payload = approvalButtonPayload({
      user: 'U0BOB',
      action: 'sgops_approve',
      requestId,
      channel: 'D0BOB',
    });
    expect(
      (await postSlackForm(url, fakes.slack.signingSecret, { payload: JSON.stringify(payload) })).status,
    ).toBe(200);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');

    // The plan and the checklist, closed as done, in alice's DM with the bot, in the request's thread.
    const dm = await until(
      'alice’s DM showing the request done',
      async () => {
        const all = await messages('D0ALICE');
        return all.some((m) => shown(m).includes('state: `done`')) ? all : undefined;
      },
      20_000,
    );
    const root = dm.find((m) => !m.threadTs && shown(m).includes(requestId));
    expect(root).toBeDefined();
    expect(dm.filter((m) => m !== root).every((m) => m.threadTs === root!.ts)).toBe(true);
    // Nothing was posted in the DM between alice and dave, and the URL was not spent on follow-ups.
    expect(await messages('D0ALICEDAVE')).toEqual([]);
    expect((await responses(responseUrl)).length).toBeLessThanOrEqual(2);
  });
});
