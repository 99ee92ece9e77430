import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../../adapters/slack/create-slack-adapter.ts';
import { inboundFromSlashCommand } from '../../../../adapters/slack/slack-inbound.ts';
import { createChatIntake } from '../../../../src/chat/chat-intake.ts';
import { createStore } from '../../../../src/store/create-store.ts';
import type { Store } from '../../../../src/store/store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema, withSchemaClient } from '../../../helpers/pg.ts';
import {
  botId,
  botUserId,
  fixture,
  formBody,
  payloadBody,
  postSigned,
  signingSecret,
} from './slack-harness.ts';

const schema = uniqueSchema('slack_intake');
const prefix = `sgops-test-slack-${randomBytes(4).toString('hex')}`;
const redisUrl = new URL(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
let store: Store;
let queue: Queue;
let adapter: SlackAdapter;
let replica: SlackAdapter;
let eventsUrl: string;
let replicaUrl: string;
const intakes: ReturnType<typeof createChatIntake>[] = [];
/** The intake queues a line just after its ack: this waits for that. */
const queuedAll = () => Promise.all(intakes.map((i) => i.settled()));

beforeAll(async () => {
  store = await createStore({
    kind: 'pg',
    url: testDatabaseUrl,
    schema,
    auditKey: 'slack-test-audit-key-0123456789',
  });
  queue = new Queue('chat', {
    connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
    prefix,
  });
  const make = () => {
    const intake = createChatIntake({ store, chatQueue: queue, logger: pino({ level: 'silent' }) });
    intakes.push(intake);
    return createSlackAdapter({
      signingSecret,
      botToken: 'xoxb-test-token',
      botUserId,
      botId,
      // Nothing may be called before the answer; an unreachable API proves it.
      apiUrl: 'http://127.0.0.1:9/api/',
      intake,
      logger: pino({ level: 'silent' }),
    });
  };
  adapter = make();
  replica = make();
  ({ eventsUrl } = await adapter.listen());
  ({ eventsUrl: replicaUrl } = await replica.listen());
});

afterAll(async () => {
  await adapter?.close();
  await replica?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
  await store?.close();
  await dropSchema(testDatabaseUrl, schema);
});

const inbox = () =>
  withSchemaClient(testDatabaseUrl, schema, async (client) => {
    const { rows } = await client.query<{ message_id: string; person_id: string; text: string }>(
      'select message_id, person_id, text from chat_inbox order by received_at',
    );
    return rows;
  });

describe('the Slack adapter over the real chat intake (Postgres and BullMQ)', () => {
  it('records a signed slash command before it answers, well within a second, and queues it', async () => {
    const res = await postSigned(eventsUrl, formBody(fixture<Record<string, string>>('slash-command')));
    console.log(`slash command through Postgres and Redis acknowledged in ${res.ms.toFixed(1)} ms`);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    const [row] = await inbox();
    expect(row).toMatchObject({ person_id: 'U0ALICE01', text: 'grant pod SG to app my-app' });
    await queuedAll();
    const job = await queue.getJob(`slack.${row!.message_id}`);
    expect(job?.data).toMatchObject({ platform: 'slack', text: 'grant pod SG to app my-app' });
  });

  it('records and queues an events-API message once, however often Slack retries it', async () => {
    const body = JSON.stringify({ ...fixture('app-mention'), event_id: 'Ev0PGRETRY1' });
    const statuses = [
      (await postSigned(eventsUrl, body)).status,
      (await postSigned(eventsUrl, body, { headers: { 'x-slack-retry-num': '1' } })).status,
      // Another replica has not seen it: the intake's message id makes it a no-op there.
      (await postSigned(replicaUrl, body, { headers: { 'x-slack-retry-num': '2' } })).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
    const rows = (await inbox()).filter((r) => r.message_id === 'evt.Ev0PGRETRY1');
    expect(rows).toHaveLength(1);
    await queuedAll();
    const jobs = (await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter(
      (j) => j.data?.messageId === 'evt.Ev0PGRETRY1',
    );
    expect(jobs).toHaveLength(1);
  });

  it('answers a signed slash command or click re-sent as Slack’s retry with 200 and starts each once', async () => {
    const slash = { ...fixture<Record<string, string>>('slash-command'), trigger_id: 'retry.1' };
    const command = formBody(slash);
    const click = fixture<{ actions: Record<string, unknown>[] }>('block-actions');
    const clicked = payloadBody({
      ...click,
      actions: [{ ...click.actions[0], action_ts: '1700000999.000001' }],
    });
    const statuses: number[] = [];
    for (const body of [command, clicked]) {
      const timestamp = Math.floor(Date.now() / 1000);
      // The very same signed body, as Slack resends a request it thinks failed.
      statuses.push((await postSigned(eventsUrl, body, { timestamp })).status);
      statuses.push(
        (await postSigned(eventsUrl, body, { timestamp, headers: { 'x-slack-retry-num': '1' } })).status,
      );
      statuses.push(
        (await postSigned(replicaUrl, body, { timestamp, headers: { 'x-slack-retry-num': '2' } })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const retriedIds = [
      inboundFromSlashCommand(slash as Parameters<typeof inboundFromSlashCommand>[0], botUserId).messageId,
      'act.U0BOB0001.1700000999.000001',
    ];
    const rows = (await inbox()).filter((r) => retriedIds.includes(r.message_id));
    expect(rows.map((r) => r.message_id).sort()).toEqual([...retriedIds].sort());
    await queuedAll();
    const jobs = (await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter((j) =>
      retriedIds.includes(j.data?.messageId as string),
    );
    expect(jobs).toHaveLength(2);
  });

  it('refuses a retry whose timestamp is more than five minutes old with 401, recording nothing', async () => {
    const before = (await inbox()).length;
    const body = formBody({
      ...fixture<Record<string, string>>('slash-command'),
      trigger_id: 'stale-retry.1',
    });
    const stale = await postSigned(eventsUrl, body, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(stale.status).toBe(401);
    expect(await inbox()).toHaveLength(before);
  });

  it('records nothing for a forged or stale request', async () => {
    const before = (await inbox()).length;
    const body = formBody({ ...fixture<Record<string, string>>('slash-command'), trigger_id: 'forged.1' });
    expect((await postSigned(eventsUrl, body, { secret: 'guessed' })).status).toBe(401);
    expect(
      (await postSigned(eventsUrl, body, { timestamp: Math.floor(Date.now() / 1000) - 400 })).status,
    ).toBe(401);
    expect(await inbox()).toHaveLength(before);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: before });
  });
});
