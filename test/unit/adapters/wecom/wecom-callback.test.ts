import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWeComCallback } from '../../../../adapters/wecom/create-wecom-callback.ts';
import type { WeComCallbackServer } from '../../../../adapters/wecom/create-wecom-callback.ts';
import {
  encryptWeComCallback,
  encryptWeComUrlVerification,
  weComCardClickXml,
  weComTextXml,
} from '../../../../adapters/wecom/encrypt-wecom-callback.ts';
import { createInMemoryWeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';
import type { WeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';
import { capturingLogger, recordingIntake, secrets } from './wecom-test-kit.ts';
import type { CapturedLog, RecordingIntake } from './wecom-test-kit.ts';
import { decisionLine } from '../../../../src/app/decision-line.ts';

const nowSeconds = 1_750_000_000;
const now = () => new Date(nowSeconds * 1000);

let intake: RecordingIntake;
let logs: CapturedLog[];
let cards: WeComCardStore;
let callback: ReturnType<typeof createWeComCallback>;
let server: WeComCallbackServer;

beforeEach(async () => {
  intake = recordingIntake();
  const captured = capturingLogger();
  logs = captured.logs;
  cards = createInMemoryWeComCardStore({ now });
  callback = createWeComCallback({ ...secrets, intake, decisionLine, logger: captured.logger, cards, now });
  server = await callback.listen();
});

afterEach(async () => {
  await server.close();
});

function post(xml: string, overrides: { corpId?: string; timestamp?: number; token?: string } = {}) {
  const request = encryptWeComCallback({
    ...secrets,
    ...(overrides.token ? { token: overrides.token } : {}),
    corpId: overrides.corpId ?? secrets.corpId,
    xml,
    timestamp: overrides.timestamp ?? nowSeconds,
    agentId: secrets.agentId,
  });
  return fetch(server.url + request.query, { method: 'POST', body: request.body });
}

const text = (content: string, msgId = '7362150993728001234') =>
  weComTextXml({ corpId: secrets.corpId, fromUser: 'zhangsan', content, msgId, agentId: secrets.agentId });

const refusals = () => logs.filter((l) => l.msg === 'wecom callback refused');

describe('WeCom URL verification', () => {
  it('answers a correctly signed verification with the decrypted echostr as bare text', async () => {
    const query = encryptWeComUrlVerification({ ...secrets, echo: '8837261100', timestamp: nowSeconds });
    const response = await fetch(server.url + query);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('8837261100');
  });

  it('refuses a verification signed with another token', async () => {
    const query = encryptWeComUrlVerification({
      ...secrets,
      token: 'other',
      echo: '1',
      timestamp: nowSeconds,
    });
    const response = await fetch(server.url + query);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toBe('1');
  });
});

describe('WeCom message callbacks', () => {
  it('hands a signed text message to the intake as a wecom line', async () => {
    const response = await post(text('grant pod SG to app my-app'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await callback.idle();
    expect(intake.lines).toEqual([
      {
        platform: 'wecom',
        messageId: '7362150993728001234',
        platformUserId: 'zhangsan',
        conversationId: 'zhangsan',
        text: 'grant pod SG to app my-app',
      },
    ]);
  });

  it('answers before the intake has finished', async () => {
    let release = () => {};
    intake.gate = new Promise<void>((resolve) => (release = resolve));
    const started = performance.now();
    const response = await post(text('批准 R7K2'));
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(intake.lines).toHaveLength(0);
    expect(elapsed).toBeLessThan(1000);
    release();
    await callback.idle();
    expect(intake.lines.map((l) => l.text)).toEqual(['批准 R7K2']);
  });

  it('hands a retried callback to the intake once', async () => {
    for (let i = 0; i < 3; i += 1) expect((await post(text('status request R7K2'))).status).toBe(200);
    await callback.idle();
    expect(intake.lines).toHaveLength(1);
  });

  it('lets a retry through again when the first hand-over failed', async () => {
    intake.fail = true;
    await post(text('status request R7K2'));
    await callback.idle();
    intake.fail = false;
    await post(text('status request R7K2'));
    await callback.idle();
    expect(intake.lines).toHaveLength(1);
    expect(logs.some((l) => l.msg === 'wecom hand-over failed')).toBe(true);
  });

  it.each([
    ['a wrong signature', { token: 'not-the-token' }, 401, 'bad_signature'],
    ['a stale timestamp', { timestamp: nowSeconds - 301 }, 401, 'stale_timestamp'],
    ['a timestamp from the future', { timestamp: nowSeconds + 301 }, 401, 'stale_timestamp'],
    ['a message for another corp id', { corpId: 'wwAnotherCorp' }, 401, 'wrong_corp'],
  ])('refuses %s, logs it and hands nothing over', async (_name, overrides, status, reason) => {
    const response = await post(text('grant pod SG to app my-app'), overrides);
    expect(response.status).toBe(status);
    await callback.idle();
    expect(intake.lines).toHaveLength(0);
    expect(refusals().map((l) => l['reason'])).toEqual([reason]);
  });

  it('refuses a malformed decrypted message and hands nothing over', async () => {
    const response = await post('<xml><FromUserName>zhangsan</FromUserName><Content>oops</xml>');
    expect(response.status).toBe(400);
    await callback.idle();
    expect(intake.lines).toHaveLength(0);
    expect(String(refusals()[0]?.['reason'])).toMatch(/^malformed_message/);
  });

  it('refuses an envelope that is not XML, and one that declares entities', async () => {
    const signed = encryptWeComCallback({ ...secrets, xml: text('x'), timestamp: nowSeconds });
    const notXml = await fetch(server.url + signed.query, { method: 'POST', body: '{"Encrypt":"x"}' });
    const entity = await fetch(server.url + signed.query, {
      method: 'POST',
      body: `<!DOCTYPE xml [<!ENTITY a "b">]><xml><Encrypt>${signed.encrypted}</Encrypt></xml>`,
    });
    expect([notXml.status, entity.status]).toEqual([400, 400]);
    expect(intake.lines).toHaveLength(0);
    expect(refusals()).toHaveLength(2);
  });

  it('ignores a message for another app of the same corp', async () => {
    const xml = weComTextXml({
      corpId: secrets.corpId,
      fromUser: 'u',
      content: 'help',
      msgId: '1',
      agentId: 99,
    });
    expect((await post(xml)).status).toBe(200);
    await callback.idle();
    expect(intake.lines).toHaveLength(0);
  });

  it('answers 404 beside its path and 405 to other methods', async () => {
    const elsewhere = await fetch(server.url.replace('/wecom/callback', '/other'));
    const put = await fetch(server.url, { method: 'PUT' });
    expect([elsewhere.status, put.status]).toEqual([404, 405]);
  });
});

describe('WeCom card clicks', () => {
  const click = (eventKey: string, taskId = 'sgops-R7K2-abc', createTime = nowSeconds) =>
    weComCardClickXml({
      corpId: secrets.corpId,
      fromUser: 'lisi',
      eventKey,
      taskId,
      responseCode: 'rc-from-click',
      agentId: secrets.agentId,
      createTime,
    });

  it('turns an Approve click into the line `approve <id>` and keeps its response code', async () => {
    expect((await post(click('approve:R7K2'))).status).toBe(200);
    await callback.idle();
    expect(intake.lines).toHaveLength(1);
    expect(intake.lines[0]).toMatchObject({
      platformUserId: 'lisi',
      conversationId: 'lisi',
      text: 'approve R7K2',
    });
    const card = await cards.get('sgops-R7K2-abc');
    expect(card).toMatchObject({ requestId: 'R7K2', userId: 'lisi', responseCode: 'rc-from-click' });
    expect(card?.clickMessageId).toBe(intake.lines[0]?.messageId);
  });

  it('turns a Deny click into `deny <id>` with the fixed card reason', async () => {
    await post(click('deny:R7K2'));
    await callback.idle();
    expect(intake.lines[0]?.text).toBe('deny R7K2 denied from the WeCom card');
  });

  it('speaks the language of the card that was clicked', async () => {
    await cards.save({ taskId: 'zh-card', requestId: 'R7K2', userId: 'lisi', locale: 'zh', sentAt: now() });
    await post(click('approve:R7K2', 'zh-card'));
    await post(click('deny:R7K2', 'zh-card', nowSeconds + 1));
    await callback.idle();
    expect(intake.lines.map((l) => l.text)).toEqual(['批准 R7K2', '拒绝 R7K2 在企业微信卡片上拒绝']);
  });

  it('hands a retried click over once but a later second click again', async () => {
    await post(click('approve:R7K2'));
    await post(click('approve:R7K2'));
    await post(click('approve:R7K2', 'sgops-R7K2-abc', nowSeconds + 5));
    await callback.idle();
    expect(intake.lines).toHaveLength(2);
  });

  it('ignores a click whose card belongs to someone else or another request', async () => {
    await cards.save({
      taskId: 'wangwu-card',
      requestId: 'R7K2',
      userId: 'wangwu',
      locale: 'en',
      sentAt: now(),
    });
    await cards.save({
      taskId: 'other-request',
      requestId: 'R9X3',
      userId: 'lisi',
      locale: 'en',
      sentAt: now(),
    });
    await post(click('approve:R7K2', 'wangwu-card'));
    await post(click('approve:R7K2', 'other-request', nowSeconds + 1));
    await callback.idle();
    expect(intake.lines).toHaveLength(0);
  });

  it('ignores buttons it does not know', async () => {
    await post(click('launch:R7K2'));
    await post(click('approve:not-an-id'));
    await callback.idle();
    expect(intake.lines).toHaveLength(0);
  });
});
