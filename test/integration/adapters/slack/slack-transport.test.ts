import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackTransport, requestOfThread } from '../../../../adapters/slack/create-slack-transport.ts';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import {
  createMemorySlackThreadStore,
  type SlackThreadStore,
} from '../../../../adapters/slack/slack-thread-store.ts';
import type { ChatOutbound, ChatTransport } from '../../../../src/chat/chat-message.ts';
import { AppError } from '../../../../src/errors.ts';
import { rememberResponseUrl, responseUrlKey } from '../../../../adapters/slack/response-url.ts';
import { grantWorkflow } from '../../../../workflows/grant/index.ts';

const api = createFakeSlackApi({ token: 'xoxb-test-token', now: () => new Date('2026-03-01T08:00:00Z') });
let apiUrl: string;
let threads: SlackThreadStore;
let transport: ChatTransport;

beforeAll(async () => {
  ({ apiUrl } = await api.start());
});
afterAll(() => api.stop());
beforeEach(() => {
  api.reset();
  threads = createMemorySlackThreadStore();
  transport = createSlackTransport({
    botToken: 'xoxb-test-token',
    apiUrl,
    threads,
    now: () => new Date('2026-03-01T08:05:00Z'),
  });
});

// What each state means, as the grant workflow says and the notifier sets on every message.
const phaseOf = (state: string) => grantWorkflow.phases[state] ?? 'working';

const about = (kind: ChatOutbound['kind'], text: string, state: string, extra: Partial<ChatOutbound> = {}) =>
  ({
    platform: 'slack',
    conversationId: 'C0REQUESTS',
    locale: 'en',
    kind,
    text,
    requestId: 'R7K2',
    state,
    phase: phaseOf(state),
    ...extra,
  }) satisfies ChatOutbound;

interface Section {
  type: string;
  text?: { text: string };
  elements?: { action_id?: string; style?: string; value?: string }[];
}
const blocksOf = (body: Record<string, unknown>) => body['blocks'] as Section[];
const textOf = (body: Record<string, unknown>) =>
  blocksOf(body)
    .map((b) => b.text?.text ?? '')
    .join('\n');

describe('the Slack transport', () => {
  it('keeps one thread per request and updates one progress message in place', async () => {
    await transport.send(about('reply', 'Request R7K2 opened: grant pod SG to app my-app', 'planning'));
    await transport.send(
      about('plan', 'Plan for R7K2: create sgops-my-namespace-my-app', 'awaitingApproval'),
    );
    await transport.send(about('progress', 'R7K2 approved by bob', 'ensurePodSecurityGroup'));
    await transport.send(about('progress', 'R7K2: allowing DNS', 'allowDns'));
    await transport.send(about('progress', 'R7K2: allowing DNS', 'allowDns'));
    await transport.send(about('progress', 'R7K2: recreating pods', 'recreatePods'));
    await transport.send(about('result', 'R7K2 done: 2 pods verified', 'done'));

    const posts = api.calls('chat.postMessage');
    const [root, plan, progress, result] = posts;
    expect(posts).toHaveLength(4);
    expect(root?.body['thread_ts']).toBeUndefined();
    const rootTs = '1772352000.000001';
    expect(plan?.body['thread_ts']).toBe(rootTs);
    expect(progress?.body['thread_ts']).toBe(rootTs);
    expect(result?.body['thread_ts']).toBe(rootTs);
    expect(textOf(result!.body)).toContain('R7K2 done');
    expect(await requestOfThread(threads)('C0REQUESTS', rootTs)).toBe('R7K2');

    // The repeated line changed nothing; two new lines and the final state are updates of one message.
    const updates = api.calls('chat.update');
    expect(updates).toHaveLength(3);
    const progressTs = '1772352000.000003';
    expect(new Set(updates.map((u) => u.body['ts']))).toEqual(new Set([progressTs]));
    const last = api.message('C0REQUESTS', progressTs);
    expect(last?.blocks).toEqual(updates.at(-1)?.body['blocks']);
    const checklist = textOf(updates.at(-1)!.body);
    expect(checklist).toContain('state: `done`');
    expect(checklist.split('\n').slice(1)).toEqual([
      ':white_check_mark: R7K2 approved by bob',
      ':white_check_mark: R7K2: allowing DNS',
      ':white_check_mark: R7K2: recreating pods',
    ]);
    const midway = textOf(updates[1]!.body);
    expect(midway).toContain(':hourglass_flowing_sand: R7K2: recreating pods');
    expect(midway).toContain('state: `recreatePods`');
  });

  it('starts a separate thread for each request in the same conversation', async () => {
    await transport.send(about('reply', 'Request R7K2 opened', 'planning'));
    await transport.send(about('reply', 'Request Q3M4 opened', 'planning', { requestId: 'Q3M4' }));
    await transport.send(about('plan', 'Plan for Q3M4', 'awaitingApproval', { requestId: 'Q3M4' }));
    await transport.send(about('plan', 'Plan for R7K2', 'awaitingApproval'));
    const posts = api.calls('chat.postMessage').map((c) => [textOf(c.body), c.body['thread_ts']]);
    expect(posts).toEqual([
      ['Request R7K2 opened', undefined],
      ['Request Q3M4 opened', undefined],
      ['Plan for Q3M4', '1772352000.000002'],
      ['Plan for R7K2', '1772352000.000001'],
    ]);
  });

  it('uses the thread the request was asked from', async () => {
    await transport.send(
      about('reply', 'Request R7K2 opened', 'planning', { threadId: '1700000000.000100' }),
    );
    await transport.send(about('plan', 'Plan for R7K2', 'awaitingApproval'));
    await transport.send(about('progress', 'R7K2: allowing DNS', 'allowDns'));
    expect(api.calls('chat.postMessage').map((c) => c.body['thread_ts'])).toEqual([
      '1700000000.000100',
      '1700000000.000100',
      '1700000000.000100',
    ]);
  });

  it('sends an approval card with Approve and Deny buttons, and rewrites it without them after the decision', async () => {
    const approval = about(
      'approval',
      'alice asks: grant pod SG to app my-app\n<!channel> plan…',
      'awaitingApproval',
      {
        conversationId: 'U0BOB0001',
        actions: [
          { id: 'approve', requestId: 'R7K2' },
          { id: 'deny', requestId: 'R7K2' },
        ],
      },
    );
    await transport.send(approval);
    expect(api.calls('conversations.open')[0]?.body).toMatchObject({ users: 'U0BOB0001' });
    const card = api.calls('chat.postMessage')[0]!;
    expect(card.body['channel']).toBe('D0BOB0001');
    const actions = blocksOf(card.body).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => [e.action_id, e.style, e.value])).toEqual([
      ['sgops_approve', 'primary', 'R7K2'],
      ['sgops_deny', 'danger', 'R7K2'],
    ]);
    // Words from people cannot ping a channel.
    expect(textOf(card.body)).toContain('&lt;!channel&gt;');
    expect(textOf(card.body)).not.toContain('<!channel>');

    // Still awaiting (one of two approvals): the buttons stay.
    await transport.send(
      about('progress', 'R7K2: 1 of 2 approvals', 'awaitingApproval', { conversationId: 'U0BOB0001' }),
    );
    expect(api.calls('chat.update')).toEqual([]);

    await transport.send(
      about('reply', 'R7K2 approved by bob, carol', 'ensurePodSecurityGroup', {
        conversationId: 'D0BOB0001',
        decision: {
          outcome: 'approved',
          by: [
            { personId: 'bob', name: 'Bob' },
            { personId: 'carol', name: 'Carol' },
          ],
        },
      }),
    );
    const [rewrite] = api.calls('chat.update');
    expect(rewrite?.body['ts']).toBe('1772352000.000001');
    expect(blocksOf(rewrite!.body).some((b) => b.type === 'actions')).toBe(false);
    // The decision in words, not the state the request went on to.
    const decided = JSON.stringify(rewrite!.body['blocks']);
    expect(decided).toContain('*Approved* by Bob (bob) and Carol (carol)');
    expect(decided).not.toContain('ensurePodSecurityGroup');
    expect(decided).toContain('2026-03-01 08:05 UTC');
    // Later messages leave the decided card alone.
    await transport.send(about('result', 'R7K2 done', 'done', { conversationId: 'U0BOB0001' }));
    expect(api.calls('chat.update').filter((u) => u.body['ts'] === '1772352000.000001')).toHaveLength(1);
  });

  it('splits a long plan into sections of at most 3000 characters', async () => {
    const plan = Array.from({ length: 400 }, (_, i) => `step ${i}: ${'x'.repeat(60)}`).join('\n');
    await transport.send(about('plan', plan, 'awaitingApproval'));
    const sections = api
      .calls('chat.postMessage')
      .flatMap((c) => blocksOf(c.body))
      .filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(8);
    for (const s of sections) expect(s.text!.text.length).toBeLessThanOrEqual(3000);
    const joined = sections.map((s) => s.text!.text).join('\n');
    expect(joined).toContain('step 0:');
    expect(joined).toContain('step 399:');
  });

  it('answers errors about a slash command or a click privately to that person', async () => {
    await transport.send(
      about('error', 'eve is not an approver of R7K2', 'awaitingApproval', {
        conversationId: 'C0APPROVE',
        inReplyTo: 'act.U0EVE0001.1',
        inReplyToUser: 'U0EVE0001',
      }),
    );
    expect(api.calls('chat.postMessage')).toEqual([]);
    expect(api.calls('chat.postEphemeral')[0]?.body).toMatchObject({
      channel: 'C0APPROVE',
      user: 'U0EVE0001',
    });
  });

  it('maps Slack refusals to AppError codes', async () => {
    api.failNext('chat.postMessage', 'ratelimited');
    const throttled = await transport
      .send({ platform: 'slack', conversationId: 'C0X', locale: 'en', kind: 'reply', text: 'hi' })
      .catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(AppError);
    expect(throttled).toMatchObject({ code: 'NETWORK', retryable: true });
    api.failNext('chat.postMessage', 'invalid_auth');
    const badToken = await transport
      .send({ platform: 'slack', conversationId: 'C0X', locale: 'en', kind: 'reply', text: 'hi' })
      .catch((e: unknown) => e);
    expect(badToken).toMatchObject({ code: 'CONFIG_INVALID', retryable: false });
  });

  it('closes a card whose request was decided elsewhere when a click on it is answered privately', async () => {
    const card = about('approval', 'plan…', 'awaitingApproval', {
      conversationId: 'U0CAROL01',
      actions: [
        { id: 'approve', requestId: 'R7K2' },
        { id: 'deny', requestId: 'R7K2' },
      ],
    });
    await transport.send(card);
    await transport.send(
      about('error', 'R7K2 is no longer waiting for approval (denied).', 'denied', {
        conversationId: 'D0CAROL01',
        inReplyTo: 'act.U0CAROL01.1700000100.000400',
        inReplyToUser: 'U0CAROL01',
      }),
    );
    expect(api.calls('chat.postEphemeral')).toHaveLength(1);
    const [rewrite] = api.calls('chat.update');
    expect(blocksOf(rewrite!.body).some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(rewrite!.body['blocks'])).toContain('*Denied*');
  });

  describe('where the bot is no member', () => {
    const answer = {
      platform: 'slack',
      conversationId: 'D0ALICEDAVE',
      inReplyTo: 'cmd.abc',
      inReplyToUser: 'U0ALICE',
      locale: 'en',
      kind: 'reply',
      text: 'help: grant pod SG to app …',
    } satisfies ChatOutbound;

    beforeEach(async () => {
      api.keepOut('D0ALICEDAVE');
      await rememberResponseUrl(threads, 'cmd.abc', {
        url: api.responseUrl(),
        user: 'U0ALICE',
        channel: 'D0ALICEDAVE',
        at: Date.parse('2026-03-01T08:00:00Z'),
      });
    });

    it('answers a slash command through its response URL, ephemerally, and posts nothing in the channel', async () => {
      await transport.send(answer);
      const [response] = api.responses();
      expect(response?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(JSON.stringify(response?.body)).toContain('help: grant pod SG to app');
      expect(api.messages('D0ALICEDAVE')).toEqual([]);
    });

    it('answers in the person’s DM with the bot once the response URL took its 5 posts', async () => {
      const record = JSON.parse((await threads.get(responseUrlKey('cmd.abc')))!) as Record<string, unknown>;
      await threads.set(responseUrlKey('cmd.abc'), JSON.stringify({ ...record, uses: 5 }));
      await transport.send(answer);
      expect(api.responses()).toEqual([]);
      const [ephemeral] = api.calls('chat.postEphemeral').slice(-1);
      expect(ephemeral?.body).toMatchObject({ channel: 'D0ALICE', user: 'U0ALICE' });
    });

    it('gives up with the Slack error when nobody typed a command there', async () => {
      const { inReplyTo: _none, inReplyToUser: _nobody, ...notice } = answer;
      const failure = await transport.send({ ...notice, kind: 'result' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).details['slackError']).toBe('channel_not_found');
    });
  });
});
