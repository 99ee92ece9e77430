/**
 * The line an explanation offers, started from a button on each chat platform through its stand-in
 * over HTTP. In Slack: alice's `/sgops explain … to sg-ordersdb tcp:3306` is answered to her
 * alone (ephemeral, as every answer to a command is) with the path in words and a Start button whose value is the offered grant line; her press of it, through
 * the Slack stand-in over HTTP, is her own line, and opens that grant as if she had typed it. In
 * WeCom: alice's typed question is answered in text and with a Start card; her press opens it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { chatPeople, sreApprovedPolicy } from '../helpers/chat-people.ts';
import { startChatWorld } from '../helpers/chat-world.ts';
import { postSlackForm, postWeComCardClick, postWeComText } from '../helpers/signed-chat-posts.ts';
import type { WeComCard } from '../helpers/wecom-cards.ts';
import type { SlackBlock } from '../helpers/slack-cards.ts';
import { slashCommandForm } from '../helpers/slack-payloads.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { until } from '../helpers/until.ts';

const offered = 'grant pod SG to app my-app in my-namespace allow tcp:3306 to sg-ordersdb';

describe('the line an explanation offers, started from a button', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('explain-slack', {
      policy: sreApprovedPolicy(chatPeople, ['alice']),
    }));
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  async function slackPosts() {
    const res = await fetch(`${fakes.slack.fakeApiUrl}/calls?method=chat.postEphemeral`);
    return ((await res.json()) as { body: { text?: string; blocks?: SlackBlock[] } }[]).map((c) => c.body);
  }

  it('offers the grant line on a Start button, and a press opens it as alice’s own line', async () => {
    const form = slashCommandForm({
      user: 'U0ALICE',
      text: 'explain app my-app in my-namespace to sg-ordersdb tcp:3306',
    });
    expect((await postSlackForm(url, fakes.slack.signingSecret, form)).status).toBe(200);
    const answer = await until(
      'the explanation',
      async () => (await slackPosts()).find((p) => p.text?.includes('denied at the ingress')),
      20_000,
    );
    const buttons = (answer.blocks ?? []).flatMap((b) =>
      b.type === 'actions'
        ? ((b as { elements?: { action_id: string; value: string }[] }).elements ?? [])
        : [],
    );
    expect(buttons.map((b) => b.value)).toEqual([offered]);
    const press = {
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      team: { id: 'T0SGOPS' },
      channel: { id: 'DU0ALICE' },
      container: { type: 'message', message_ts: '1700000200.000100', channel_id: 'DU0ALICE' },
      message: { ts: '1700000200.000100', text: 'explain' },
      trigger_id: `${Date.now()}.trigger`,
      response_url: 'https://hooks.slack.com/actions/T0SGOPS/1/y',
      actions: [
        {
          action_id: buttons[0]!.action_id,
          block_id: 'sgops_offer.en',
          value: buttons[0]!.value,
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const pressed = await postSlackForm(url, fakes.slack.signingSecret, { payload: JSON.stringify(press) });
    expect(pressed.status).toBe(200);
    const opened = await until(
      'the grant the press opened',
      async () => (await world.app.store.listRequests({ requester: 'alice' }))[0],
      20_000,
    );
    expect(opened.workflow).toBe('grant');
    expect(JSON.stringify(opened.spec)).toContain('sg-ordersdb');
  });

  it('is a Start card on WeCom, and alice’s press opens the offered grant as her own line', async () => {
    const before = (await world.app.store.listRequests({ requester: 'alice' })).length;
    const asked = await postWeComText(url, fakes.wecom, {
      user: 'alice',
      content: 'explain app my-app in my-namespace to sg-ordersdb tcp:3306',
      msgId: '7000000000000000001',
    });
    expect(asked.status).toBe(200);
    const card = await until(
      'alice’s WeCom Start card',
      () =>
        fakes.wecomApi
          .calls()
          .map((c) => c.body as { touser?: string; msgtype?: string; template_card?: WeComCard })
          .find(
            (b) =>
              b.touser === 'alice' &&
              b.msgtype === 'template_card' &&
              b.template_card?.button_list.some((x) => x.key.startsWith('say:')),
          )?.template_card,
      20_000,
    );
    expect(card.button_list.map((b) => b.key)).toEqual([`say:${offered}`]);
    const pressed = await postWeComCardClick(url, fakes.wecom, {
      user: 'alice',
      eventKey: card.button_list[0]!.key,
      taskId: card.task_id,
      responseCode: fakes.wecomApi.responseCodeOf(card.task_id) ?? 'rc',
    });
    expect(pressed.status).toBe(200);
    await until(
      'the grant the WeCom press opened',
      async () => {
        const mine = await world.app.store.listRequests({ requester: 'alice' });
        return mine.length > before ? mine : undefined;
      },
      20_000,
    );
  });
});
