import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import { samplePolicy, startTestWorld, type TestWorld } from '../../../helpers/test-world.ts';
import { approvalButtonPayload, slashCommandForm } from '../../../helpers/slack-payloads.ts';
import { until as untilAnswered } from '../../../helpers/until.ts';

/** sgops as deployed with `slack.mode: socket`: no Slack endpoint, a WebSocket to (the fake) Slack. */
describe('Slack over Socket Mode, end to end', () => {
  const appToken = `xapp-1-A0SGOPS01-1-${randomBytes(8).toString('hex')}`;
  const api = createFakeSlackApi({ appToken, token: 'xoxb-socket-world' });
  let world: TestWorld;

  beforeAll(async () => {
    const { apiUrl } = await api.start();
    world = await startTestWorld('slack-socket', {
      http: { host: '127.0.0.1', port: 0 },
      slack: {
        mode: 'socket',
        appToken,
        botToken: 'xoxb-socket-world',
        botUserId: 'USGOPSBOT',
        botId: 'BSGOPSBOT',
        apiUrl,
      },
      policy: {
        ...samplePolicy,
        people: [
          { id: 'alice', name: 'Alice', slack: 'U0ALICE' },
          { id: 'dave', name: 'Dave', slack: 'U0DAVE' },
          { id: 'bob', name: 'Bob', slack: 'U0BOB' },
          { id: 'carol', name: 'Carol', slack: 'U0CAROL', locale: 'zh' as const },
          { id: 'erin', name: 'Erin', slack: 'U0ERIN' },
        ],
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
    await api.stop();
  });

  const slashCommand = (user: string, text: string) =>
    api.socketMode.send({
      type: 'slash_commands',
      payload: slashCommandForm({ user, text }),
    });

  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

  /** The probe first, as these tests read best; 30 s unless told. */
  const until = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000) =>
    untilAnswered(what, probe, timeoutMs);

  const requestsBy = (person: string) => world.app.store.listRequests({ requester: person });
  const stateOf = async (requestId: string) => (await world.app.engine.read(requestId))?.state;
  const postedAbout = (requestId: string) =>
    api
      .calls()
      .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
      .filter((c) => JSON.stringify(c.body).includes(requestId));

  let requestId = '';

  it('acknowledges a slash command before any cloud or Kubernetes work, then opens the request in a thread with its progress', async () => {
    const cloudBefore = total(world.emulator.calls());
    const kubeBefore = total(world.simulator.calls());
    const { envelope_id } = slashCommand('U0ALICE', 'grant pod SG to app my-app in my-namespace');
    const ack = await api.socketMode.waitForAck(envelope_id);
    const workAtAck = { cloud: total(world.emulator.calls()), kube: total(world.simulator.calls()) };
    console.log(`Socket Mode slash command acknowledged in ${ack.latencyMs.toFixed(1)} ms`);
    expect(ack.latencyMs).toBeLessThan(1000);
    expect(workAtAck).toEqual({ cloud: cloudBefore, kube: kubeBefore });
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });

    requestId = await until(async () => (await requestsBy('alice'))[0]?.id, 'alice’s request');
    await until(
      async () => ((await stateOf(requestId)) === 'awaitingApproval' ? true : undefined),
      'awaitingApproval',
    );
    // One thread in the channel the command came from, its root naming the request, progress inside it.
    const inThread = await until(() => {
      const replies = postedAbout(requestId).filter(
        (c) => c.body['channel'] === 'C0DEV' && c.body['thread_ts'],
      );
      return replies.length > 0 ? replies : undefined;
    }, 'a message in the request’s thread');
    const threads = new Set(inThread.map((c) => c.body['thread_ts']));
    expect(threads.size).toBe(1);
    const root = api.message('C0DEV', String([...threads][0]));
    expect(root?.text).toContain(requestId);
    // Each approver gets the card with Approve / Deny in a DM.
    const cards = await until(() => {
      const found = postedAbout(requestId).filter((c) => JSON.stringify(c.body).includes('sgops_approve'));
      return found.length >= 2 ? found : undefined;
    }, 'the approval cards');
    expect(cards.map((c) => c.body['channel']).sort()).toEqual(['D0BOB', 'D0CAROL']);
  });

  it('opens no second request when Slack redelivers a slash command whose ack it lost', async () => {
    api.socketMode.dropNextAcks(1);
    const { envelope_id } = slashCommand('U0DAVE', 'grant pod SG to app my-app in my-namespace');
    await until(() => api.socketMode.acks(envelope_id)[0], 'the lost ack');
    expect(api.socketMode.redeliver(envelope_id).retry_attempt).toBe(1);
    await until(() => api.socketMode.acks(envelope_id)[1], 'the second ack');
    await until(async () => (await requestsBy('dave'))[0], 'dave’s request');
    // Give a second request every chance to appear.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await requestsBy('dave')).toHaveLength(1);
  });

  it('runs the request to the end when bob clicks Approve, arriving as an interactive envelope', async () => {
    const { envelope_id } = api.socketMode.send({
      type: 'interactive',
      payload: approvalButtonPayload({ user: 'U0BOB', action: 'sgops_approve', requestId, channel: 'D0BOB' }),
    });
    await api.socketMode.waitForAck(envelope_id);
    const final = await until(
      async () => {
        const state = await stateOf(requestId);
        return state === 'done' || state === 'failed' || state === 'needsAttention' ? state : undefined;
      },
      'the request to finish',
      60_000,
    );
    expect(final).toBe('done');
    const approvals = await world.app.store.listApprovals(requestId);
    expect(approvals.map((a) => [a.personId, a.platform])).toEqual([['bob', 'slack']]);
    await until(
      () => postedAbout(requestId).find((c) => JSON.stringify(c.body).includes(`${requestId} done`)),
      'the result in alice’s thread',
    );
  });
});
