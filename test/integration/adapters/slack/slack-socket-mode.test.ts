import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../../adapters/slack/create-slack-adapter.ts';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import type { FakeSocketEnvelope } from '../../../../adapters/slack/fake-api/fake-socket-mode.ts';
import { AppError } from '../../../../src/errors.ts';
import { botId, botUserId, createRecordingIntake, eventually, fixture } from './slack-harness.ts';

const appToken = 'xapp-1-A0SGOPS01-1-socket-mode-adapter-test';
const botToken = 'xoxb-test-token';
const api = createFakeSlackApi({ token: botToken, appToken });
const intake = createRecordingIntake();
const logger = pino({ level: process.env['SGOPS_TEST_LOG_LEVEL'] ?? 'silent' });
let apiUrl = '';
let adapter: SlackAdapter;

const socketAdapter = (token: string) =>
  createSlackAdapter({ mode: 'socket', appToken: token, botToken, botUserId, botId, apiUrl, intake, logger });

beforeAll(async () => {
  ({ apiUrl } = await api.start());
  adapter = socketAdapter(appToken);
  await adapter.start();
});

afterAll(async () => {
  await adapter?.close();
  await api.stop();
});

beforeEach(() => {
  intake.lines.length = 0;
  api.reset();
});

const slash = (overrides: Record<string, string> = {}) => ({
  ...fixture<Record<string, string>>('slash-command'),
  ...overrides,
});
const send = (type: FakeSocketEnvelope['type'], payload: Record<string, unknown>) =>
  api.socketMode.send({ type, payload });

describe('the Slack adapter in Socket Mode', () => {
  it('opened its connection with the app-level token and serves nothing over HTTP', async () => {
    expect(adapter.mode).toBe('socket');
    expect(api.socketMode.connections().open).toBe(1);
    const { url } = await adapter.listen();
    const res = await fetch(`${url}/slack/events`, { method: 'POST', body: 'ssl_check=1' });
    expect(res.status).toBe(404);
  });

  it('acknowledges a slash command within a second, after handing the line to the intake', async () => {
    const { envelope_id } = send('slash_commands', slash());
    const ack = await api.socketMode.waitForAck(envelope_id);
    console.log(`Socket Mode slash command acknowledged in ${ack.latencyMs.toFixed(1)} ms`);
    expect(ack.latencyMs).toBeLessThan(1000);
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Received'),
    });
    expect(intake.lines).toEqual([
      {
        platform: 'slack',
        messageId: expect.stringMatching(/^cmd\.[0-9a-f]{32}$/),
        platformUserId: 'U0ALICE01',
        conversationId: 'C0REQUESTS',
        text: 'grant pod SG to app my-app',
      },
    ]);
    // Nothing was asked of Slack's Web API before the ack.
    expect(api.calls()).toEqual([]);
  });

  it('maps a redelivered slash command to the same line, so the intake records it once', async () => {
    api.socketMode.dropNextAcks(1);
    const { envelope_id } = send('slash_commands', slash({ trigger_id: 'redelivered.1' }));
    await eventually(() => api.socketMode.acks(envelope_id)[0]);
    const again = api.socketMode.redeliver(envelope_id);
    expect(again.retry_attempt).toBe(1);
    await eventually(() => api.socketMode.acks(envelope_id)[1]);
    expect(intake.lines).toHaveLength(2);
    expect(new Set(intake.lines.map((l) => l.messageId)).size).toBe(1);
  });

  it('skips a redelivered Events API envelope it has already recorded', async () => {
    api.socketMode.dropNextAcks(1);
    const { envelope_id } = send('events_api', fixture('app-mention'));
    await eventually(() => api.socketMode.acks(envelope_id)[0]);
    api.socketMode.redeliver(envelope_id);
    await eventually(() => api.socketMode.acks(envelope_id)[1]);
    expect(intake.lines).toEqual([
      {
        platform: 'slack',
        messageId: 'evt.Ev0MENTION01',
        platformUserId: 'U0ALICE01',
        conversationId: 'C0REQUESTS',
        threadId: '1700000000.000100',
        text: 'status request R7K2',
      },
    ]);
  });

  it('leaves an event it could not record unacknowledged, and records it when Slack redelivers it', async () => {
    const mention = fixture<Record<string, unknown>>('app-mention');
    intake.failNext();
    const { envelope_id } = send('events_api', { ...mention, event_id: 'Ev0OUTAGE02' });
    // The failed attempt is what the intake saw first; no ack went back for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.socketMode.acks(envelope_id)).toEqual([]);
    api.socketMode.redeliver(envelope_id);
    await api.socketMode.waitForAck(envelope_id);
    expect(intake.lines.map((l) => l.messageId)).toEqual(['evt.Ev0OUTAGE02']);
    expect(api.socketMode.envelopes()).toEqual([expect.objectContaining({ deliveries: 2, acked: true })]);
  });

  it('takes direct messages and ignores the bot’s own', async () => {
    const dm = fixture<{ event: Record<string, unknown> }>('dm-message');
    const own = { ...dm, event_id: 'Ev0OWN02', event: { ...dm.event, user: botUserId, bot_id: botId } };
    const acks = [send('events_api', dm), send('events_api', own)].map((e) =>
      api.socketMode.waitForAck(e.envelope_id),
    );
    await Promise.all(acks);
    expect(intake.lines.map((l) => [l.messageId, l.text])).toEqual([
      ['evt.Ev0DIRECT01', 'grant pod SG to app <my-app>'],
    ]);
  });

  it('turns an Approve click in an interactive envelope into `approve <id>` from the clicker', async () => {
    const { envelope_id } = send('interactive', fixture('block-actions'));
    expect((await api.socketMode.waitForAck(envelope_id)).payload).toEqual({});
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

  it('opens the reason modal on Deny and answers an empty reason with the modal’s error', async () => {
    const click = fixture<{ actions: Record<string, unknown>[] }>('block-actions');
    const deny = { ...click, actions: [{ ...click.actions[0], action_id: 'sgops_deny' }] };
    await api.socketMode.waitForAck(send('interactive', deny).envelope_id);
    const opened = await eventually(() => api.calls('views.open')[0]);
    const view = opened.body['view'] as { private_metadata: string };

    const submission = fixture<{ view: Record<string, unknown> }>('view-submission');
    const submit = (value: string) => ({
      ...submission,
      view: {
        ...submission.view,
        private_metadata: view.private_metadata,
        state: { values: { reason: { reason: { type: 'plain_text_input', value } } } },
      },
    });
    const empty = await api.socketMode.waitForAck(send('interactive', submit(' ')).envelope_id);
    expect(empty.payload).toEqual({ response_action: 'errors', errors: { reason: 'Please give a reason.' } });
    await api.socketMode.waitForAck(send('interactive', submit('change freeze')).envelope_id);
    expect(intake.lines.map((l) => l.text)).toEqual(['deny R7K2 change freeze']);
  });

  it('reconnects after Slack’s disconnect and keeps working', async () => {
    const before = api.socketMode.connections().opened;
    expect(api.socketMode.disconnect('refresh_requested')).toBe(1);
    await eventually(() => {
      const now = api.socketMode.connections();
      return now.opened > before && now.open === 1 ? now : undefined;
    }, 20_000);
    const { envelope_id } = send('slash_commands', slash({ trigger_id: 'after.reconnect', text: 'help' }));
    await api.socketMode.waitForAck(envelope_id);
    expect(intake.lines.map((l) => l.text)).toEqual(['help']);
  });

  it('fails to start with a clear configuration error when Slack refuses the app token', async () => {
    const wrong = socketAdapter('xapp-1-A0SGOPS01-1-revoked');
    const failure = await wrong.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await wrong.close();
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        'Slack refused the app-level token when opening a Socket Mode connection (apps.connections.open: invalid_auth).',
      hint: expect.stringContaining('SLACK_APP_TOKEN'),
    });
    expect(() => socketAdapter(botToken)).toThrow(/must start with xapp-/);
    expect(() =>
      createSlackAdapter({ mode: 'socket', botToken, botUserId, botId, apiUrl, intake, logger }),
    ).toThrow(/needs appToken \(SLACK_APP_TOKEN\)/);
  });
});
