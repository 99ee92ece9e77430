import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/index.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { deploySuperNodeApps } from '../helpers/deploy-super-node-apps.ts';
import { postSlackForm } from '../helpers/signed-chat-posts.ts';
import { until } from '../helpers/until.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { slashCommandForm } from '../helpers/slack-payloads.ts';
import { approvalCardIn, buttonsOf, postSlackDm, shownText } from '../helpers/slack-cards.ts';
import { clusterId, samplePolicy } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { workStepNames } from '../../workflows/grant/types.ts';

/**
 * Issue 14, finding 2: a Slack approval card for a big app must still show what is approved (the
 * line as asked, another team's group and its owners), and must not offer Approve for a plan it
 * could not show whole. Approval by a typed `approve <id>` still works.
 */
describe('the Slack approval card of a plan too long for it', () => {
  let fakes: ChatFakes;
  let world: TestWorld;
  let url = '';
  const bigApp = 'big-app';
  const smallApp = 'small-app';
  // As in the issue: 600 replicas make a plan of more than the card's 12 plan sections.
  const bigReplicas = 600;
  const slackOf = (person: string) => `U0${person.toUpperCase()}`;
  const dmOf = (person: string) => `D0${person.toUpperCase()}`;

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('approval-card-size', {
      policy: { ...samplePolicy, people: samplePolicy.people.map((p) => ({ ...p, slack: slackOf(p.id) })) },
    }));
    const started = performance.now();
    await deploySuperNodeApps(world.simulator, [{ app: bigApp, namespace: 'my-namespace' }], {
      replicas: bigReplicas,
      timeoutMs: 60_000,
    });
    await deploySuperNodeApps(world.simulator, [{ app: smallApp, namespace: 'my-namespace' }], {
      replicas: 2,
    });
    console.log(
      `${bigReplicas} + 2 replicas available in the simulator in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  /** alice asks in Slack; the id of the request it opened. */
  async function aliceAsks(line: string): Promise<string> {
    const before = new Set((await world.app.store.listRequests({ requester: 'alice' })).map((r) => r.id));
    const res = await postSlackForm(
      url,
      fakes.slack.signingSecret,
      slashCommandForm({ user: slackOf('alice'), text: line, channel: dmOf('alice') }),
    );
    expect(res.status).toBe(200);
    return until(
      `a request opened by: ${line}`,
      async () =>
        (await world.app.store.listRequests({ requester: 'alice' })).find((r) => !before.has(r.id))?.id,
      20_000,
    );
  }

  const fakeApi = () => fakes.slack.fakeApiUrl;
  const typed = (app: string) =>
    `grant pod SG to app ${app} in my-namespace allow tcp:5432 to ${ordersDbGroupId}`;
  // The line as sgops records and shows it: what was typed, with the default cluster made explicit.
  const asked = (app: string) =>
    `Asked: \`grant pod SG to app ${app} in my-namespace on ${clusterId} allow tcp:5432 to ${ordersDbGroupId}\``;
  const foreignGroup = `Another team's group orders-db (${ordersDbGroupId}): ingress TCP 5432 from the pod group, ahead of any DROP — needs owners of orders-db (group:dba)`;
  let bigId = '';

  it('shows the asked line and the foreign group in full, says the plan is cut, and offers Deny but no Approve', async () => {
    const started = performance.now();
    bigId = await aliceAsks(typed(bigApp));
    await stateBecomes(world, bigId, ['awaitingApproval']);
    const bob = await approvalCardIn(fakeApi(), bigId, dmOf('bob'));
    console.log(
      `big plan: card in ${((performance.now() - started) / 1000).toFixed(1)} s, ${bob.blocks.length} blocks`,
    );

    // The plan really is longer than the card: this is the case the issue is about.
    const view = await world.app.engine.read(bigId);
    const planning = (view!.context as { outputs: { planning?: { pods: unknown[] } } }).outputs.planning;
    expect(planning?.pods).toHaveLength(bigReplicas);

    const card = shownText(bob);
    expect(bob.blocks.length).toBeLessThanOrEqual(50);
    const buttons = buttonsOf(bob);
    expect(buttons.filter((b) => b.action_id === 'sgops_approve')).toEqual([]);
    expect(JSON.stringify(bob.blocks)).not.toContain('"sgops_approve"');
    expect(buttons.find((b) => b.action_id === 'sgops_deny')?.value).toBe(bigId);
    // The test world's notifier has no console address: no link either, only Deny.
    expect(buttons.filter((b) => b.url !== undefined || b.action_id === 'sgops_review')).toEqual([]);
    expect(card).toContain(':warning: _This plan is too long for a card, so it cannot be approved here.');
    expect(card).toContain(`reply \`approve ${bigId}\``);
    expect(card).toContain(`alice asks: grant pod SG to app ${bigApp} in my-namespace`);
    expect(card).toContain(asked(bigApp));
    expect(card).toContain(foreignGroup);
    expect(card).toContain('- owners of orders-db (group:dba) — Erin (erin): 0 of 1');
    // As much of the plan as fits follows.
    expect(card).toContain('Changes to make:');

    // erin owns orders-db: she gets the card too, with the same essentials and no Approve.
    const erin = await approvalCardIn(fakeApi(), bigId, dmOf('erin'));
    expect(erin.blocks.length).toBeLessThanOrEqual(50);
    expect(buttonsOf(erin).map((b) => b.action_id)).toEqual(['sgops_deny']);
    expect(shownText(erin)).toContain(asked(bigApp));
    expect(shownText(erin)).toContain(foreignGroup);

    // carol (the namespace's other approver) reads Chinese: the same card in her words.
    const carol = await approvalCardIn(fakeApi(), bigId, dmOf('carol'));
    expect(buttonsOf(carol).map((b) => b.action_id)).toEqual(['sgops_deny']);
    expect(shownText(carol)).toContain('计划过长，无法在卡片上批准');
    expect(shownText(carol)).toContain(`其他团队的安全组 orders-db（${ordersDbGroupId}）`);
  });

  it('keeps Approve on a card whose plan fits, with the asked line in it', async () => {
    const id = await aliceAsks(typed(smallApp));
    await stateBecomes(world, id, ['awaitingApproval']);
    const bob = await approvalCardIn(fakeApi(), id, dmOf('bob'));
    expect(buttonsOf(bob).map((b) => b.action_id)).toEqual(['sgops_approve', 'sgops_deny']);
    const card = shownText(bob);
    expect(card).toContain(asked(smallApp));
    expect(card).toContain(foreignGroup);
    expect(card).not.toContain('too long for a card');
    expect(card).toContain('Changes to make:');
    // Not to be carried out: it only shows the card.
    await postSlackDm(url, fakes.slack.signingSecret, { user: slackOf('alice'), text: `cancel ${id}` });
    await stateBecomes(world, id, ['cancelled']);
  });

  it('still carries out the big request once bob and erin type `approve <id>`', async () => {
    expect(bigId).not.toBe('');
    const started = performance.now();
    const sent = await postSlackDm(url, fakes.slack.signingSecret, {
      user: slackOf('bob'),
      text: `approve ${bigId}`,
    });
    expect(sent.status).toBe(200);
    // bob alone is the namespace's sign-off: orders-db's owners are still missing.
    await until(
      `bob's approval of ${bigId} to be recorded`,
      async () => ((await world.app.store.listApprovals(bigId)).length > 0 ? true : undefined),
      20_000,
    );
    expect((await world.app.engine.read(bigId))!.state).toBe('awaitingApproval');

    await postSlackDm(url, fakes.slack.signingSecret, { user: slackOf('erin'), text: `approve ${bigId}` });
    const state = await stateBecomes(world, bigId, [...workStepNames, 'done', 'needsAttention']);
    console.log(
      `big request approved by text and in ${state} after ${(performance.now() - started).toFixed(0)} ms`,
    );
    const approvals = await world.app.store.listApprovals(bigId);
    expect(approvals.map((a) => [a.personId, a.platform]).sort()).toEqual([
      ['bob', 'slack'],
      ['erin', 'slack'],
    ]);
  });
});
