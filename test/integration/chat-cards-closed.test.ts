import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { postSlackForm } from '../helpers/signed-chat-posts.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { slashCommandForm } from '../helpers/slack-payloads.ts';
import { approvalCardIn, postSlackDm, type SlackBlock } from '../helpers/slack-cards.ts';
import { clickWeComCard, weComCardSent, type WeComCard } from '../helpers/wecom-cards.ts';
import { until } from '../helpers/until.ts';
import { sreApprovedPolicy } from '../helpers/chat-people.ts';
import { deploySuperNodeApps } from '../helpers/deploy-super-node-apps.ts';
import { approvalButtonPayload } from '../helpers/slack-payloads.ts';

/**
 * bob and carol approve on Slack and on WeCom, one person on both. Once one of them decides,
 * every approval card of the request — the decider's on the other platform included — shows the
 * decision in words and no buttons, as the fakes recorded it over HTTP.
 */
describe('approval cards after a decision', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';

  beforeAll(async () => {
    const policy = sreApprovedPolicy();
    // kube-system needs both bob and carol.
    policy.rules.push({ ...policy.rules[0]!, namespaces: ['kube-system'], quorum: 2 });
    ({ world, fakes, url } = await startChatWorld('chat-cards-closed', { policy }));
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  /** alice asks in Slack; the request waits with a card for bob and carol on both platforms. */
  async function awaitingRequest(line = 'grant pod SG to app my-app in my-namespace'): Promise<string> {
    const before = new Set((await world.app.store.listRequests({ requester: 'alice' })).map((r) => r.id));
    const form = slashCommandForm({ user: 'U0ALICE', text: line });
    expect((await postSlackForm(url, fakes.slack.signingSecret, form)).status).toBe(200);
    const requestId = await until(
      'a request by alice',
      async () =>
        (await world.app.store.listRequests({ requester: 'alice' })).find((r) => !before.has(r.id))?.id,
      20_000,
    );
    await stateBecomes(world, requestId, ['awaitingApproval']);
    for (const channel of ['D0BOB', 'D0CAROL'])
      await approvalCardIn(fakes.slack.fakeApiUrl, requestId, channel);
    for (const user of ['bob', 'carol']) await weComCard(user, requestId);
    return requestId;
  }

  function weComCard(user: string, requestId: string): Promise<WeComCard> {
    return until(`a WeCom card for ${user}`, () => weComCardSent(fakes.wecomApi, user, requestId), 20_000);
  }

  /** The Slack card about `requestId` in `channel` as it now stands, read from the fake over HTTP. */
  async function slackCardNow(channel: string, requestId: string) {
    const res = await fetch(`${fakes.slack.fakeApiUrl}/messages?channel=${channel}`);
    const messages = (await res.json()) as { blocks: SlackBlock[]; updates: number }[];
    const card = messages.find(
      (m) => JSON.stringify(m.blocks).includes(`${requestId}`) && m.blocks.some(isHead),
    );
    if (!card) throw new Error(`no card about ${requestId} in ${channel}`);
    const text = card.blocks.map((b) => b.text?.text ?? JSON.stringify(b.elements ?? '')).join('\n');
    return { text, buttons: card.blocks.some((b) => b.type === 'actions'), updates: card.updates };
  }
  const isHead = (b: SlackBlock) => b.type === 'section' && /:lock:/.test(b.text?.text ?? '');

  /** Waits until the Slack card has lost its buttons, and returns what it says. */
  function closedSlackCard(channel: string, requestId: string, words: string) {
    return until(
      `the card in ${channel} saying ${words}`,
      async () => {
        const card = await slackCardNow(channel, requestId);
        return !card.buttons && card.text.includes(words) ? card.text : undefined;
      },
      15_000,
    );
  }

  /** What the WeCom card of `user` was updated to, over the fake's recorded calls (GET /calls). */
  function weComCardUpdate(card: WeComCard) {
    return until(
      `an update of WeCom card ${card.task_id}`,
      async () => {
        const calls = (await (await fetch(`${fakes.wecom.fakeApiUrl}/calls`)).json()) as {
          path: string;
          body: { response_code?: string; button?: { replace_name?: string } };
          errcode: number;
        }[];
        const code = fakes.wecomApi.responseCodeOf(card.task_id);
        return calls.find(
          (c) =>
            c.path === '/cgi-bin/message/update_template_card' &&
            c.errcode === 0 &&
            c.body.response_code === code,
        )?.body.button?.replace_name;
      },
      15_000,
    );
  }

  it('closes bob’s WeCom card too when he denies in his Slack DM, and every card says who denied and why', async () => {
    const requestId = await awaitingRequest();
    const bobsWeCom = await weComCard('bob', requestId);
    const carolsWeCom = await weComCard('carol', requestId);
    expect(
      (
        await postSlackDm(url, fakes.slack.signingSecret, {
          user: 'U0BOB',
          text: `deny ${requestId} change freeze`,
        })
      ).status,
    ).toBe(200);
    expect(await stateBecomes(world, requestId, ['denied'])).toBe('denied');

    const bobsSlack = await closedSlackCard('D0BOB', requestId, 'Denied');
    expect(bobsSlack).toContain('*Denied* by Bob (bob): change freeze');
    expect(bobsSlack).not.toMatch(/Decided: \*|\*denied\*/);
    const carolsSlack = await closedSlackCard('D0CAROL', requestId, '已拒绝');
    expect(carolsSlack).toContain('Bob (bob) *已拒绝*：change freeze');
    expect(carolsSlack).not.toMatch(/Denied|Decided/);

    expect(await weComCardUpdate(bobsWeCom)).toBe('Denied by Bob');
    expect(await weComCardUpdate(carolsWeCom)).toBe('Bob 已拒绝');
  });

  it('closes carol’s Slack card when she approves on her WeCom card, in her language, and bob’s cards name her', async () => {
    const requestId = await awaitingRequest();
    const carolsWeCom = await weComCard('carol', requestId);
    const bobsWeCom = await weComCard('bob', requestId);
    expect((await clickWeComCard(url, fakes, 'carol', carolsWeCom, 'approve')).status).toBe(200);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');

    expect(await closedSlackCard('D0CAROL', requestId, '已批准')).toContain('Carol (carol) *已批准*');
    expect(await closedSlackCard('D0BOB', requestId, 'Approved')).toContain('*Approved* by Carol (carol)');
    expect(await weComCardUpdate(bobsWeCom)).toBe('Approved by Carol');
    // Her own card's click response code is spent by the update answering her click.
    const carolsUpdate = await until(
      'carol’s own WeCom card updated',
      () =>
        fakes.wecomApi
          .calls()
          .map((c) => c.body as { button?: { replace_name?: string } })
          .find((b) => b.button?.replace_name === 'Carol 已批准')?.button?.replace_name,
      15_000,
    );
    expect(carolsUpdate).toBe('Carol 已批准');
  });

  it('closes bob’s cards on both platforms once he gave the first of two approvals in Slack, and carol’s stay live', async () => {
    await deploySuperNodeApps(world.simulator, [{ app: 'dns-probe', namespace: 'kube-system' }]);
    const requestId = await awaitingRequest('grant pod SG to app dns-probe in kube-system');
    const bobsWeCom = await weComCard('bob', requestId);
    const payload = approvalButtonPayload({ user: 'U0BOB', action: 'sgops_approve', requestId });
    expect(
      (await postSlackForm(url, fakes.slack.signingSecret, { payload: JSON.stringify(payload) })).status,
    ).toBe(200);
    await until(
      'bob’s approval recorded',
      async () => {
        const view = await world.app.engine.read(requestId);
        return (
          (view?.context as { approvals: { by: string }[] }).approvals.some((a) => a.by === 'bob') ||
          undefined
        );
      },
      15_000,
    );

    // His WeCom card says he approved and has no buttons; his Slack card too, and that it still waits.
    expect(await weComCardUpdate(bobsWeCom)).toBe('You approved');
    const bobsSlack = await closedSlackCard('D0BOB', requestId, 'Approved');
    expect(bobsSlack).toContain('*Approved* by Bob (bob)');
    expect(bobsSlack).toContain('waiting for the other approvals');
    // The request waits for carol, whose cards keep their buttons.
    expect((await world.app.engine.read(requestId))?.state).toBe('awaitingApproval');
    expect((await slackCardNow('D0CAROL', requestId)).buttons).toBe(true);
    const carolsWeCom = await weComCard('carol', requestId);
    const carolsCode = fakes.wecomApi.responseCodeOf(carolsWeCom.task_id);
    const updatedCodes = fakes.wecomApi
      .calls()
      .filter((c) => c.path === '/cgi-bin/message/update_template_card')
      .map((c) => (c.body as { response_code?: string }).response_code);
    expect(updatedCodes).not.toContain(carolsCode);

    // carol's approval, the second, closes every card as approved by both.
    expect((await clickWeComCard(url, fakes, 'carol', carolsWeCom, 'approve')).status).toBe(200);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');
    expect(await closedSlackCard('D0BOB', requestId, 'Carol')).toContain(
      '*Approved* by Bob (bob) and Carol (carol)',
    );
  });
});
