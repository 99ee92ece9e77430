/**
 * The Repair button on a drift report, on each platform through its stand-in over HTTP: pressing
 * it is the presser's own line `repair <id>` — the same checks (someone not involved is refused),
 * the same one-open-repair rule, the same reply in the presser's language. Slack shows it under the
 * report (Block Kit), WeCom as a template card, the console in the request view's drift box.
 */
import { deleteGrantDnsRules } from '../helpers/seed-step-8.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../src/console/request-views.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { chatPeople, sreApprovedPolicy } from '../helpers/chat-people.ts';
import { startChatWorld } from '../helpers/chat-world.ts';
import { postSlackForm } from '../helpers/signed-chat-posts.ts';
import type { SlackBlock } from '../helpers/slack-cards.ts';
import { approvalButtonPayload, slashCommandForm } from '../helpers/slack-payloads.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { until } from '../helpers/until.ts';
import { clickWeComCard, type WeComCard } from '../helpers/wecom-cards.ts';

describe('the Repair button on a drift report', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';
  let grantId = '';
  let firstRepair = '';

  beforeAll(async () => {
    const people = [...chatPeople, { id: 'dave', name: 'Dave', slack: 'U0DAVE', wecom: 'dave' }];
    ({ world, fakes, url } = await startChatWorld('repair-button', {
      policy: sreApprovedPolicy(people, ['alice', 'dave']),
      console: { mode: 'sandbox' },
    }));
    const form = slashCommandForm({ user: 'U0ALICE', text: 'grant pod SG to app my-app in my-namespace' });
    expect((await postSlackForm(url, fakes.slack.signingSecret, form)).status).toBe(200);
    grantId = await until(
      'alice’s grant',
      async () => (await world.app.store.listRequests({ requester: 'alice' }))[0]?.id,
      20_000,
    );
    await stateBecomes(world, grantId, ['awaitingApproval']);
    await world.say('bob', `approve ${grantId}`);
    expect(await stateBecomes(world, grantId, ['done', 'needsAttention', 'failed'])).toBe('done');
    await deleteGrantDnsRules(world, grantId);
    expect(await world.app.driftWatch.sweep()).toMatchObject({ drifted: 1, told: 1 });
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  /** What sgops posted through the fake Slack API (`method`), read back over HTTP. */
  async function slackCalls(method: string) {
    const res = await fetch(`${fakes.slack.fakeApiUrl}/calls?method=${method}`);
    return (
      (await res.json()) as {
        body: { channel?: string; user?: string; text?: string; blocks?: SlackBlock[] };
      }[]
    ).map((c) => c.body);
  }
  const pressSlack = (user: string, channel: string) =>
    postSlackForm(url, fakes.slack.signingSecret, {
      payload: JSON.stringify(
        approvalButtonPayload({ user, action: 'sgops_repair', requestId: grantId, channel }),
      ),
    });
  const repairsOfGrant = async () =>
    (await world.app.store.listRequests({ workflow: 'repair' })).filter(
      (r) => (r.spec as { grantRequestId?: string }).grantRequestId === grantId,
    );

  it('is a Block Kit button under the Slack report, and bob’s press opens his repair', async () => {
    const report = await until(
      'the drift report with its Repair button in bob’s DM',
      async () =>
        (await slackCalls('chat.postMessage')).find(
          (m) =>
            m.channel === 'D0BOB' &&
            m.blocks?.some((b) => b.elements?.some((e) => e.action_id === 'sgops_repair')),
        ),
      15_000,
    );
    expect(JSON.stringify(report.blocks)).toContain(`${grantId} (grant pod SG to app my-app`);
    const button = report
      .blocks!.flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'sgops_repair')!;
    expect(button).toMatchObject({ value: grantId, text: { type: 'plain_text', text: 'Repair' } });

    expect((await pressSlack('U0BOB', 'D0BOB')).status).toBe(200);
    const [repair] = await until('bob’s repair', async () => {
      const found = await repairsOfGrant();
      return found.length > 0 ? found : undefined;
    });
    firstRepair = repair!.id;
    expect(repair!.requester).toBe('bob');
    await until('the answer to bob’s press', async () =>
      (await slackCalls('chat.postMessage')).find(
        (m) =>
          m.channel === 'D0BOB' &&
          JSON.stringify(m).includes(`${firstRepair}`) &&
          /repair of/.test(JSON.stringify(m)),
      ),
    );
  }, 30_000);

  it('meets the chat’s checks: dave, not involved, is refused as if he had typed it', async () => {
    expect((await pressSlack('U0DAVE', 'D0DAVE')).status).toBe(200);
    const refusal = await until('dave’s refusal', async () =>
      [...(await slackCalls('chat.postEphemeral')), ...(await slackCalls('chat.postMessage'))].find(
        (m) =>
          (m.user === 'U0DAVE' || m.channel === 'D0DAVE') &&
          /Only the requester or an approver/.test(m.text ?? ''),
      ),
    );
    expect(refusal.text).toContain(`Only the requester or an approver of ${grantId} may do that.`);
    expect(await repairsOfGrant()).toHaveLength(1);
  }, 30_000);

  it('is a template card button on WeCom, and carol’s press is answered in 中文 with the open repair', async () => {
    const card = await until(
      'carol’s WeCom Repair card',
      async () =>
        fakes.wecomApi
          .calls()
          .map(
            (c) =>
              c.body as {
                touser?: string;
                msgtype?: string;
                template_card?: WeComCard & { main_title?: { title: string } };
              },
          )
          .find(
            (b) =>
              b.touser === 'carol' && b.template_card?.button_list.some((x) => x.key === `repair:${grantId}`),
          )?.template_card,
    );
    expect(card.main_title?.title).toBe(`与批准时不一致：${grantId}`);
    expect((await clickWeComCard(url, fakes, 'carol', card, 'repair')).status).toBe(200);
    const answer = await until('the answer to carol’s press', async () =>
      fakes.wecomApi
        .calls()
        .map((c) => c.body as { touser?: string; msgtype?: string; text?: { content: string } })
        .find(
          (b) =>
            b.touser === 'carol' &&
            b.msgtype === 'text' &&
            /已有一个未结束的修复请求/.test(b.text?.content ?? ''),
        ),
    );
    expect(answer.text!.content).toContain(`${grantId} 已有一个未结束的修复请求 ${firstRepair}`);
    expect(await repairsOfGrant()).toHaveLength(1);
  }, 30_000);

  it('is in the console’s drift box for those who may repair, and its line opens a repair', async () => {
    await world.say('bob', `cancel ${firstRepair}`);
    expect(await stateBecomes(world, firstRepair, ['cancelled'])).toBe('cancelled');
    const view = async (person: string) =>
      (await (await fetch(`${url}/api/requests/${grantId}/view?as=${person}`)).json()) as RequestDetail;
    const alices = await view('alice');
    expect(alices.drift?.notes.length).toBeGreaterThan(0);
    expect(alices.actions).toContainEqual({ id: 'repair', line: `repair ${grantId}` });
    expect((await view('carol')).actions).toContainEqual({ id: 'repair', line: `修复 ${grantId}` });
    expect((await view('dave')).actions.map((a) => a.id)).not.toContain('repair');
    // The button sends its line through /api/say, as the person, like every action of the view.
    const res = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'alice', text: alices.actions.find((a) => a.id === 'repair')!.line }),
    });
    expect(res.status).toBe(200);
    const opened = await until('alice’s repair', async () =>
      (await repairsOfGrant()).find((r) => r.requester === 'alice'),
    );
    expect(await stateBecomes(world, opened.id, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
  }, 30_000);
});
