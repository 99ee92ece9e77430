/**
 * The WeCom callback in front of the real intake: Postgres (a schema of its own) records each
 * line once and BullMQ (a prefix of its own) queues it once, whichever process gets the retry.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeComCallback } from '../../../../adapters/wecom/create-wecom-callback.ts';
import type { WeComCallbackServer } from '../../../../adapters/wecom/create-wecom-callback.ts';
import {
  encryptWeComCallback,
  weComCardClickXml,
  weComTextXml,
} from '../../../../adapters/wecom/encrypt-wecom-callback.ts';
import { createInMemoryWeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';
import { createChatIntake } from '../../../../src/chat/chat-intake.ts';
import type { ChatInbound } from '../../../../src/chat/chat-message.ts';
import { queueNames, redisConnectionFromUrl } from '../../../../src/engine/queues.ts';
import { createStore } from '../../../../src/store/create-store.ts';
import type { Store } from '../../../../src/store/store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema, withSchemaClient } from '../../../helpers/pg.ts';
import { decisionLine } from '../../../../src/app/decision-line.ts';

const secrets = {
  token: 'integrationToken',
  encodingAESKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
  corpId: 'wwIntegrationCorp',
  agentId: '1000009',
};
const schema = uniqueSchema('wecom_intake');
const prefix = `sgops-test-wecom-${randomBytes(4).toString('hex')}`;
const logger = pino({ level: 'silent' });

let store: Store;
let chatQueue: Queue;
let first: ReturnType<typeof createWeComCallback>;
let second: ReturnType<typeof createWeComCallback>;
let servers: WeComCallbackServer[];
let intake: ReturnType<typeof createChatIntake>;

beforeAll(async () => {
  store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey: 'wecom-integration-key' });
  chatQueue = new Queue(queueNames.chat, {
    connection: redisConnectionFromUrl(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379'),
    prefix,
  });
  intake = createChatIntake({ store, chatQueue, logger: pino({ level: 'silent' }) });
  // Two processes behind one callback URL: WeCom's retry may reach the other one.
  first = createWeComCallback({
    ...secrets,
    intake,
    decisionLine,
    logger,
    cards: createInMemoryWeComCardStore(),
  });
  second = createWeComCallback({
    ...secrets,
    intake,
    decisionLine,
    logger,
    cards: createInMemoryWeComCardStore(),
  });
  servers = [await first.listen(), await second.listen()];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await chatQueue.obliterate({ force: true });
  await chatQueue.close();
  await store.close();
  await dropSchema(testDatabaseUrl, schema);
});

async function post(server: WeComCallbackServer, xml: string, token = secrets.token) {
  const request = encryptWeComCallback({ ...secrets, token, xml, agentId: secrets.agentId });
  return fetch(server.url + request.query, { method: 'POST', body: request.body });
}

const inbox = () =>
  withSchemaClient(testDatabaseUrl, schema, async (client) => {
    const result = await client.query<{ message_id: string; person_id: string; text: string }>(
      `select message_id, person_id, text from chat_inbox where platform = 'wecom' order by message_id`,
    );
    return result.rows;
  });

// The intake queues a line just after the callback's answer: wait for that first.
const queued = async () => {
  await intake.settled();
  return (await chatQueue.getJobs(['waiting', 'delayed', 'active'])).map((j) => j.data as ChatInbound);
};

describe('WeCom callback over the real intake', () => {
  it('records a message once and queues it once, even when the retry reaches another process', async () => {
    const xml = weComTextXml({
      corpId: secrets.corpId,
      fromUser: 'zhangsan',
      content: '授权 Pod 安全组 给 应用 my-app',
      msgId: '7362150993728009999',
      agentId: secrets.agentId,
    });
    const [a, b] = servers as [WeComCallbackServer, WeComCallbackServer];
    expect((await post(a, xml)).status).toBe(200);
    expect((await post(a, xml)).status).toBe(200);
    expect((await post(b, xml)).status).toBe(200);
    await Promise.all([first.idle(), second.idle()]);

    expect(await inbox()).toEqual([
      { message_id: '7362150993728009999', person_id: 'zhangsan', text: '授权 Pod 安全组 给 应用 my-app' },
    ]);
    const jobs = await queued();
    expect(jobs).toEqual([
      {
        platform: 'wecom',
        messageId: '7362150993728009999',
        platformUserId: 'zhangsan',
        conversationId: 'zhangsan',
        text: '授权 Pod 安全组 给 应用 my-app',
      },
    ]);
  });

  it('queues a card click as the line `approve <id>`', async () => {
    const xml = weComCardClickXml({
      corpId: secrets.corpId,
      fromUser: 'lisi',
      eventKey: 'approve:R7K2',
      taskId: 'sgops-R7K2-test',
      responseCode: 'rc-1',
      agentId: secrets.agentId,
    });
    expect((await post(servers[0] as WeComCallbackServer, xml)).status).toBe(200);
    await first.idle();
    const clicks = (await queued()).filter((j) => j.platformUserId === 'lisi');
    expect(clicks.map((j) => j.text)).toEqual(['approve R7K2']);
    expect((await inbox()).filter((r) => r.person_id === 'lisi').map((r) => r.text)).toEqual([
      'approve R7K2',
    ]);
  });

  it('records and queues nothing for a forged message', async () => {
    const before = [(await inbox()).length, (await queued()).length];
    const xml = weComTextXml({
      corpId: secrets.corpId,
      fromUser: 'mallory',
      content: 'approve R7K2',
      msgId: '1111',
      agentId: secrets.agentId,
    });
    expect((await post(servers[0] as WeComCallbackServer, xml, 'guessed-token')).status).toBe(401);
    await first.idle();
    expect([(await inbox()).length, (await queued()).length]).toEqual(before);
  });
});
