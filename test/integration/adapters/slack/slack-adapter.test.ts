import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../../adapters/slack/create-slack-adapter.ts';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import { requestOfThread } from '../../../../adapters/slack/create-slack-transport.ts';
import { createMemorySlackThreadStore } from '../../../../adapters/slack/slack-thread-store.ts';
import {
  botId,
  botUserId,
  createRecordingIntake,
  eventually,
  fixture,
  formBody,
  payloadBody,
  postSigned,
  signingSecret,
} from './slack-harness.ts';

const api = createFakeSlackApi({ token: 'xoxb-test-token' });
const intake = createRecordingIntake();
const threads = createMemorySlackThreadStore();
let adapter: SlackAdapter;
let eventsUrl: string;

beforeAll(async () => {
  const { apiUrl } = await api.start();
  adapter = createSlackAdapter({
    signingSecret,
    botToken: 'xoxb-test-token',
    botUserId,
    botId,
    apiUrl,
    intake,
    threads,
    resolveRequestThread: requestOfThread(threads),
    logger: pino({ level: process.env['SGOPS_TEST_LOG_LEVEL'] ?? 'silent' }),
  });
  ({ eventsUrl } = await adapter.listen());
});

afterAll(async () => {
  await adapter.close();
  await api.stop();
});

beforeEach(() => {
  intake.lines.length = 0;
  api.reset();
});

const slash = (overrides: Record<string, string> = {}) =>
  formBody({ ...fixture<Record<string, string>>('slash-command'), ...overrides });
const now = () => Math.floor(Date.now() / 1000);

describe('the Slack adapter', () => {
  it('acknowledges a correctly signed slash command within a second and hands the line to the intake', async () => {
    const res = await postSigned(eventsUrl, slash());
    console.log(`slash command acknowledged in ${res.ms.toFixed(1)} ms`);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral' });
    expect(intake.lines).toHaveLength(1);
    expect(intake.lines[0]).toMatchObject({
      platform: 'slack',
      platformUserId: 'U0ALICE01',
      conversationId: 'C0REQUESTS',
      text: 'grant pod SG to app my-app',
    });
    expect(intake.lines[0]?.messageId).toMatch(/^cmd\.[0-9a-f]{32}$/);
    // Nothing was asked of Slack's API before answering: no auth.test, no posts.
    expect(api.calls()).toEqual([]);
  });

  it('echoes a long slash command cut between characters, never through an emoji', async () => {
    const text = `grant pod SG to app my-app because ${'🚀'.repeat(120)}`;
    const res = await postSigned(eventsUrl, slash({ trigger_id: 'long.1', text }));
    expect(res.status).toBe(200);
    // JSON.stringify writes only lone surrogates as \uD8xx escapes: the raw body shows a split one.
    expect(res.text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    const ack = (JSON.parse(res.text) as { text: string }).text;
    expect(ack).toMatch(/🚀…`$/);
    expect(intake.lines.map((l) => l.text)).toEqual([text]);
  });

  it('refuses a forged signature and nothing reaches the intake', async () => {
    const res = await postSigned(eventsUrl, slash(), { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    const tampered = await postSigned(eventsUrl, slash(), {
      headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}` },
    });
    expect(tampered.status).toBe(401);
    const unsigned = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: slash(),
    });
    expect(unsigned.status).toBe(401);
    expect(intake.lines).toEqual([]);
  });

  it('refuses a stale timestamp (more than five minutes old) even when correctly signed', async () => {
    const res = await postSigned(eventsUrl, slash({ trigger_id: 'stale.1' }), { timestamp: now() - 301 });
    expect(res.status).toBe(401);
    const future = await postSigned(eventsUrl, slash({ trigger_id: 'future.1' }), { timestamp: now() + 600 });
    expect(future.status).toBe(401);
    expect(intake.lines).toEqual([]);
  });

  it('refuses a replayed request, whether captured long ago or replayed within the window', async () => {
    const capturedLongAgo = await postSigned(eventsUrl, slash({ trigger_id: 'old.1' }), {
      timestamp: now() - 3600,
    });
    expect(capturedLongAgo.status).toBe(401);

    const body = slash({ trigger_id: 'replay.1' });
    const timestamp = now();
    const first = await postSigned(eventsUrl, body, { timestamp });
    const replay = await postSigned(eventsUrl, body, { timestamp });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(intake.lines.map((l) => l.text)).toEqual(['grant pod SG to app my-app']);
  });

  it('answers a genuine events-API retry with 200 and hands the message to the intake at most once', async () => {
    const body = JSON.stringify(fixture('app-mention'));
    const first = await postSigned(eventsUrl, body);
    const timestamp = now();
    const retries = [
      await postSigned(eventsUrl, body, {
        timestamp,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
      // Slack may resend the very same signed request as its retry.
      await postSigned(eventsUrl, body, { timestamp, headers: { 'x-slack-retry-num': '2' } }),
    ];
    expect([first.status, ...retries.map((r) => r.status)]).toEqual([200, 200, 200]);
    expect(intake.lines).toHaveLength(1);
    expect(intake.lines[0]).toMatchObject({
      messageId: 'evt.Ev0MENTION01',
      platformUserId: 'U0ALICE01',
      conversationId: 'C0REQUESTS',
      threadId: '1700000000.000100',
      text: 'status request R7K2',
    });
  });

  it('lets a retry through when the first delivery could not be recorded, so no message is lost', async () => {
    const mention = fixture<{ event_id: string; event: Record<string, unknown> }>('app-mention');
    const body = JSON.stringify({ ...mention, event_id: 'Ev0OUTAGE01' });
    intake.failNext();
    const first = await postSigned(eventsUrl, body);
    expect(first.status).toBe(500);
    const retry = await postSigned(eventsUrl, body, { headers: { 'x-slack-retry-num': '1' } });
    expect(retry.status).toBe(200);
    expect(intake.lines.map((l) => l.messageId)).toEqual(['evt.Ev0OUTAGE01']);
  });

  it('tells the person privately when a slash command could not be recorded', async () => {
    intake.failNext();
    const res = await postSigned(eventsUrl, slash({ trigger_id: 'outage.1' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/try again/),
    });
  });

  it('takes direct messages, decoding Slack markup, and ignores the bot’s own posts', async () => {
    const dm = fixture<{ event: Record<string, unknown> }>('dm-message');
    expect((await postSigned(eventsUrl, JSON.stringify(dm))).status).toBe(200);
    const own = { ...dm, event_id: 'Ev0OWN01', event: { ...dm.event, user: botUserId, bot_id: botId } };
    expect((await postSigned(eventsUrl, JSON.stringify(own))).status).toBe(200);
    const edit = { ...dm, event_id: 'Ev0EDIT01', event: { ...dm.event, subtype: 'message_changed' } };
    expect((await postSigned(eventsUrl, JSON.stringify(edit))).status).toBe(200);
    expect(intake.lines).toEqual([
      {
        platform: 'slack',
        messageId: 'evt.Ev0DIRECT01',
        platformUserId: 'U0ALICE01',
        conversationId: 'D0ALICE01',
        text: 'grant pod SG to app <my-app>',
      },
    ]);
  });

  it('completes a bare verb typed in a request’s thread with that request’s id', async () => {
    await threads.set('root:D0ALICE01:1700000000.000900', 'R7K2');
    const dm = fixture<{ event: Record<string, unknown> }>('dm-message');
    const inThread = (eventId: string, text: string) =>
      JSON.stringify({
        ...dm,
        event_id: eventId,
        event: { ...dm.event, text, thread_ts: '1700000000.000900' },
      });
    await postSigned(eventsUrl, inThread('Ev0THREAD01', 'status'));
    await postSigned(eventsUrl, inThread('Ev0THREAD02', '批准'));
    await postSigned(eventsUrl, inThread('Ev0THREAD03', 'status request Q3M4'));
    expect(intake.lines.map((l) => l.text)).toEqual(['status R7K2', '批准 R7K2', 'status request Q3M4']);
  });

  it('turns a click on Approve into `approve <id>` from the clicker', async () => {
    const res = await postSigned(eventsUrl, payloadBody(fixture('block-actions')));
    expect(res.status).toBe(200);
    expect(intake.lines).toEqual([
      {
        platform: 'slack',
        messageId: 'act.U0BOB0001.1700000123.456789',
        platformUserId: 'U0BOB0001',
        conversationId: 'D0BOB0001',
        threadId: '1700000100.000300',
        text: 'approve R7K2',
      },
    ]);
  });

  it('refuses a click whose value is no request id', async () => {
    const click = fixture<{ actions: Record<string, unknown>[] }>('block-actions');
    const forged = { ...click, actions: [{ ...click.actions[0], value: 'R7K2; rollback XXXX' }] };
    expect((await postSigned(eventsUrl, payloadBody(forged))).status).toBe(200);
    expect(intake.lines).toEqual([]);
  });

  it('opens a reason modal on Deny and turns its submission into `deny <id> <reason>`', async () => {
    const click = fixture<{ actions: Record<string, unknown>[] }>('block-actions');
    const deny = {
      ...click,
      actions: [
        { ...click.actions[0], action_id: 'sgops_deny', style: 'danger', block_id: 'sgops_approval.zh' },
      ],
    };
    const res = await postSigned(eventsUrl, payloadBody(deny));
    expect(res.status).toBe(200);
    expect(intake.lines).toEqual([]);

    const opened = await eventually(() => api.calls('views.open')[0]);
    const view = opened.body['view'] as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
    };
    expect(opened.body['trigger_id']).toBe(fixture<{ trigger_id: string }>('block-actions').trigger_id);
    expect(view.callback_id).toBe('sgops_deny_reason');
    expect(view.title.text).toBe('拒绝申请');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ requestId: 'R7K2', channel: 'D0BOB0001' });

    const submission = fixture<{ view: Record<string, unknown> }>('view-submission');
    const submit = (value: string) => ({
      ...submission,
      view: {
        ...submission.view,
        private_metadata: view.private_metadata,
        state: { values: { reason: { reason: { type: 'plain_text_input', value } } } },
      },
    });
    const empty = await postSigned(eventsUrl, payloadBody(submit('   ')));
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: { reason: '请填写原因。' },
    });
    expect(intake.lines).toEqual([]);

    const done = await postSigned(eventsUrl, payloadBody(submit('not during the\nfreeze')));
    expect(done.status).toBe(200);
    expect(intake.lines).toEqual([
      {
        platform: 'slack',
        messageId: 'view.V0DENY0001',
        platformUserId: 'U0BOB0001',
        conversationId: 'D0BOB0001',
        threadId: '1700000100.000300',
        text: 'deny R7K2 not during the freeze',
      },
    ]);
  });

  it('answers Slack’s URL verification and 404s other paths', async () => {
    const res = await postSigned(eventsUrl, JSON.stringify({ type: 'url_verification', challenge: 'c-123' }));
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
    const other = await fetch(eventsUrl.replace('/slack/events', '/slack/other'), { method: 'POST' });
    expect(other.status).toBe(404);
  });
});
