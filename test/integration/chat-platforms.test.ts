import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { postSlackForm } from '../helpers/signed-chat-posts.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { workStepNames } from '../../workflows/grant/types.ts';
import { approvalButtonPayload, slashCommandForm } from '../helpers/slack-payloads.ts';
import { clickWeComCard, weComCardSent } from '../helpers/wecom-cards.ts';
import { until } from '../helpers/until.ts';
import { chatPeople } from '../helpers/chat-people.ts';
import { deploySuperNodeApps } from '../helpers/deploy-super-node-apps.ts';

/** One person, one identity across platforms: asked in Slack, approved from a WeCom card. */
describe('approvals across Slack and WeCom', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';

  const people = [...chatPeople, { id: 'dave', name: 'Dave', slack: 'U0DAVE', wecom: 'dave' }];

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('chat-platforms', {
      policy: {
        people,
        groups: { sre: ['bob', 'carol'] },
        rules: [
          {
            clusters: ['*'],
            namespaces: ['kube-system'],
            requesters: ['alice'],
            approvers: ['group:sre'],
            quorum: 2,
          },
          {
            clusters: ['*'],
            namespaces: ['my-namespace'],
            requesters: ['alice', 'dave'],
            approvers: ['group:sre'],
            quorum: 1,
          },
        ],
      },
    }));
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  async function slashCommand(user: string, text: string) {
    const started = performance.now();
    const res = await postSlackForm(url, fakes.slack.signingSecret, slashCommandForm({ user, text }));
    return { status: res.status, ms: performance.now() - started };
  }

  async function slackButton(user: string, action: 'sgops_approve' | 'sgops_deny', requestId: string) {
    const payload = approvalButtonPayload({ user, action, requestId });
    const res = await postSlackForm(url, fakes.slack.signingSecret, { payload: JSON.stringify(payload) });
    expect(res.status).toBe(200);
  }

  function weComCard(touser: string, requestId: string) {
    return until(
      `a WeCom card for ${touser} about ${requestId}`,
      () => weComCardSent(fakes.wecomApi, touser, requestId),
      20_000,
    );
  }

  async function decideOnWeComCard(user: string, requestId: string, decision: 'approve' | 'deny') {
    const card = await weComCard(user, requestId);
    const res = await clickWeComCard(url, fakes, user, card, decision);
    expect(res.status).toBe(200);
  }

  function requestOpenedBy(person: string, since: number) {
    return until(
      `a request by ${person}`,
      async () =>
        (await world.app.store.listRequests({ requester: person })).find(
          (r) => r.createdAt.getTime() >= since,
        )?.id,
      20_000,
    );
  }

  it('acknowledges a signed slash command at once and runs the request raised in Slack to the end when bob clicks Approve on his WeCom card', async () => {
    const since = Date.now() - 1000;
    const ack = await slashCommand('U0ALICE', 'grant pod SG to app my-app in my-namespace');
    expect(ack.status).toBe(200);
    console.log(`Slack slash command acknowledged in ${ack.ms.toFixed(1)} ms`);
    expect(ack.ms).toBeLessThan(1000);
    const requestId = await requestOpenedBy('alice', since);
    await stateBecomes(world, requestId, ['awaitingApproval']);

    // dave is no approver: his click is refused and he is told why.
    await slackButton('U0DAVE', 'sgops_approve', requestId);
    // alice raised it: she may not approve it herself.
    await slackButton('U0ALICE', 'sgops_approve', requestId);
    const told = async (user: string, text: string) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const hit = fakes.slackApi
          .calls()
          .some((c) => JSON.stringify(c.body).includes(text) && JSON.stringify(c.body).includes(user));
        if (hit) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    expect(await told('U0DAVE', 'is not an approver')).toBe(true);
    expect(await told('U0ALICE', 'cannot approve it yourself')).toBe(true);
    expect((await world.app.engine.read(requestId))!.state).toBe('awaitingApproval');

    await decideOnWeComCard('bob', requestId, 'approve');
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');
    const approvals = await world.app.store.listApprovals(requestId);
    expect(approvals.map((a) => [a.personId, a.platform])).toEqual([['bob', 'wecom']]);
    // alice's thread in Slack gets the result (the notification is its own job, a moment after the state).
    const posted = async () => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const hit = fakes.slackApi
          .calls()
          .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
          .some((c) => JSON.stringify(c.body).includes(`${requestId} done`));
        if (hit) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    expect(await posted()).toBe(true);
  });

  it('needs two distinct approvers where the policy asks for a quorum of 2', async () => {
    const since = Date.now();
    // An app that runs there: a selector that matches nothing is refused before anything is opened.
    await deploySuperNodeApps(world.simulator, [{ app: 'dns-probe', namespace: 'kube-system' }]);
    await slashCommand('U0ALICE', 'grant pod SG to app dns-probe in kube-system');
    const requestId = await requestOpenedBy('alice', since);
    await stateBecomes(world, requestId, ['awaitingApproval']);
    await decideOnWeComCard('bob', requestId, 'approve');
    await new Promise((r) => setTimeout(r, 1500));
    await slackButton('U0BOB', 'sgops_approve', requestId);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await world.app.engine.read(requestId))!.state).toBe('awaitingApproval');
    await slackButton('U0CAROL', 'sgops_approve', requestId);
    expect(await stateBecomes(world, requestId, [...workStepNames, 'done', 'needsAttention'])).not.toBe(
      'awaitingApproval',
    );
    const approvers = (await world.app.store.listApprovals(requestId)).map((a) => a.personId).sort();
    expect(approvers).toEqual(['bob', 'carol']);
  });
});
