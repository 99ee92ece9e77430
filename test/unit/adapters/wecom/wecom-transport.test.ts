import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWeComApiClient } from '../../../../adapters/wecom/create-wecom-api-client.ts';
import { createWeComTransport } from '../../../../adapters/wecom/create-wecom-transport.ts';
import { createFakeWeComApi } from '../../../../adapters/wecom/fake-api/index.ts';
import type { FakeWeComApi } from '../../../../adapters/wecom/fake-api/index.ts';
import { createInMemoryWeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';
import type { WeComCardStore } from '../../../../adapters/wecom/wecom-card-store.ts';
import type { ChatOutbound, ChatTransport } from '../../../../src/chat/chat-message.ts';
import { AppError } from '../../../../src/errors.ts';
import { grantWorkflow } from '../../../../workflows/grant/index.ts';
import { capturingLogger } from './wecom-test-kit.ts';

let fake: FakeWeComApi;
let cards: WeComCardStore;
let transport: ChatTransport;
let fakeUrl: string;

beforeEach(async () => {
  fake = createFakeWeComApi({ agentId: 1000002 });
  fakeUrl = (await fake.start()).url;
  const api = createWeComApiClient({
    corpId: 'ww1',
    corpSecret: 's',
    agentId: 1000002,
    apiBaseUrl: fakeUrl,
    fetch,
  });
  cards = createInMemoryWeComCardStore();
  transport = createWeComTransport({ api, cards, logger: capturingLogger().logger });
});

afterEach(async () => {
  await fake.stop();
});

const approval = (to: string, locale: 'en' | 'zh' = 'en'): ChatOutbound => ({
  platform: 'wecom',
  conversationId: to,
  personId: to,
  locale,
  kind: 'approval',
  text: `zhangsan asks: a pod security group for app my-app (R7K2).\nplan line\nReply \`approve R7K2\`.`,
  requestId: 'R7K2',
  state: 'awaitingApproval',
  phase: 'waiting',
  actions: [
    { id: 'approve', requestId: 'R7K2' },
    { id: 'deny', requestId: 'R7K2' },
  ],
});

// What each state means, as the grant workflow says and the notifier sets on every message.
const phaseOf = (state: string) => grantWorkflow.phases[state] ?? 'working';

const progress = (to: string, state: string, extra: Partial<ChatOutbound> = {}): ChatOutbound => ({
  platform: 'wecom',
  conversationId: to,
  locale: 'en',
  kind: 'progress',
  text: `R7K2 is now ${state}`,
  requestId: 'R7K2',
  state,
  phase: phaseOf(state),
  ...extra,
});

const sends = () => fake.calls().filter((c) => c.path === '/cgi-bin/message/send');
const updates = () => fake.calls().filter((c) => c.path === '/cgi-bin/message/update_template_card');
const cardSends = () =>
  sends()
    .map((c) => c.body as { touser: string; msgtype: string; template_card?: Record<string, unknown> })
    .filter((b) => b.msgtype === 'template_card');

describe('WeCom transport', () => {
  it('sends replies as text to the user', async () => {
    await transport.send({
      platform: 'wecom',
      conversationId: 'zhangsan',
      locale: 'en',
      kind: 'reply',
      text: 'R7K2 opened',
    });
    expect(sends().map((c) => c.body)).toEqual([
      { touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: 'R7K2 opened' } },
    ]);
  });

  it('sends each approver the plan and a button card of their own', async () => {
    await transport.send(approval('lisi'));
    await transport.send(approval('wangwu', 'zh'));
    const sent = cardSends();
    expect(sent.map((b) => b.touser)).toEqual(['lisi', 'wangwu']);
    const [en, zh] = sent.map((b) => b.template_card as Record<string, unknown>);
    expect(en).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: 'Approval needed: R7K2' },
      sub_title_text: 'zhangsan asks: a pod security group for app my-app (R7K2).',
      button_list: [
        { text: 'Approve', style: 1, key: 'approve:R7K2' },
        { text: 'Deny', style: 3, key: 'deny:R7K2' },
      ],
    });
    expect(zh).toMatchObject({
      main_title: { title: '待审批：R7K2' },
      button_list: [{ text: '批准' }, { text: '拒绝' }],
    });
    expect(en?.['task_id']).not.toBe(zh?.['task_id']);
    expect(String(en?.['task_id'])).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
    expect(sends()[0]?.body).toMatchObject({ touser: 'lisi', msgtype: 'text' });
  });

  it('does not send a second live card when an approval is sent again', async () => {
    await transport.send(approval('lisi'));
    await transport.send(approval('lisi'));
    expect(cardSends()).toHaveLength(1);
  });

  it('updates every approver card once the request has been decided', async () => {
    await transport.send(approval('lisi'));
    await transport.send(approval('wangwu', 'zh'));
    await transport.send(progress('lisi', 'ensurePodSecurityGroup'));
    await transport.send({ ...progress('wangwu', 'ensurePodSecurityGroup'), locale: 'zh' });
    await transport.send(progress('lisi', 'allowDns'));
    const lisiCard = cardSends()[0]?.template_card?.['task_id'] as string;
    expect(updates().map((c) => c.body)).toEqual([
      {
        userids: ['lisi'],
        agentid: 1000002,
        response_code: fake.responseCodeOf(lisiCard),
        button: { replace_name: 'Approved' },
      },
      expect.objectContaining({ userids: ['wangwu'], button: { replace_name: '已批准' } }),
    ]);
    expect(updates().every((c) => c.errcode === 0)).toBe(true);
  });

  it('closes a person’s cards in silence, naming who decided in the card’s language', async () => {
    await transport.send(approval('lisi'));
    await transport.send(approval('wangwu', 'zh'));
    const before = sends().length;
    const decision = { outcome: 'denied' as const, by: [{ personId: 'bob', name: 'Bob' }], reason: 'freeze' };
    await transport.closeCards!({ ...progress('lisi', 'denied'), text: '', decision });
    await transport.closeCards!({ ...progress('wangwu', 'denied'), text: '', decision });
    expect(updates().map((c) => (c.body as { button: unknown }).button)).toEqual([
      { replace_name: 'Denied by Bob' },
      { replace_name: 'Bob 已拒绝' },
    ]);
    expect(sends()).toHaveLength(before);
    expect(await cards.openCards('R7K2', 'lisi')).toEqual([]);
  });

  it('shows a denial on the card, using the response code of the click', async () => {
    await transport.send(approval('lisi'));
    const card = (await cards.openCards('R7K2', 'lisi'))[0];
    await cards.recordClick({
      taskId: card?.taskId ?? '',
      requestId: 'R7K2',
      userId: 'lisi',
      responseCode: fake.responseCodeOf(card?.taskId ?? '') ?? '',
      messageId: 'click-1',
    });
    await transport.send(progress('lisi', 'denied', { kind: 'reply', inReplyTo: 'click-1' }));
    expect(updates().map((c) => (c.body as { button: unknown }).button)).toEqual([
      { replace_name: 'Denied' },
    ]);
    expect(await cards.openCards('R7K2', 'lisi')).toEqual([]);
  });

  it("closes an approver's card after their own approval when more approvals are needed", async () => {
    await transport.send(approval('lisi'));
    await transport.send(approval('wangwu'));
    const card = (await cards.openCards('R7K2', 'lisi'))[0];
    await cards.recordClick({
      taskId: card?.taskId ?? '',
      requestId: 'R7K2',
      userId: 'lisi',
      responseCode: fake.responseCodeOf(card?.taskId ?? '') ?? '',
      messageId: 'click-1',
    });
    // Someone else's status question leaves cards alone; the answer to lisi's click closes lisi's.
    await transport.send(progress('wangwu', 'awaitingApproval', { kind: 'reply', inReplyTo: 'other' }));
    await transport.send(progress('lisi', 'awaitingApproval', { kind: 'reply', inReplyTo: 'click-1' }));
    expect(updates().map((c) => c.body)).toEqual([
      expect.objectContaining({ userids: ['lisi'], button: { replace_name: 'You approved' } }),
    ]);
    expect(await cards.openCards('R7K2', 'wangwu')).toHaveLength(1);
  });

  it('updates a card once when the answer to its click and the notifier close it at the same time', async () => {
    await transport.send(approval('lisi'));
    const card = (await cards.openCards('R7K2', 'lisi'))[0]!;
    await cards.recordClick({
      taskId: card.taskId,
      requestId: 'R7K2',
      userId: 'lisi',
      responseCode: fake.responseCodeOf(card.taskId) ?? '',
      messageId: 'click-1',
    });
    const decision = { outcome: 'approved' as const, by: [{ personId: 'lisi', name: 'Lisi' }] };
    await Promise.all([
      transport.send(
        progress('lisi', 'ensurePodSecurityGroup', { kind: 'reply', inReplyTo: 'click-1', decision }),
      ),
      transport.closeCards!({ ...progress('lisi', 'ensurePodSecurityGroup'), text: '', decision }),
    ]);
    expect(updates().map((c) => (c.body as { button: unknown }).button)).toEqual([
      { replace_name: 'Approved by Lisi' },
    ]);
    expect(await cards.openCards('R7K2', 'lisi')).toEqual([]);
  });

  it('splits text longer than WeCom allows at line breaks', async () => {
    const line = '路'.repeat(300); // 900 bytes
    await transport.send({
      platform: 'wecom',
      conversationId: 'u',
      locale: 'zh',
      kind: 'plan',
      text: [line, line, line].join('\n'),
    });
    const contents = sends().map((c) => (c.body as { text: { content: string } }).text.content);
    expect(contents).toEqual([`${line}\n${line}`, line]);
    expect(sends().every((c) => c.errcode === 0)).toBe(true);
  });

  it('sends markup someone typed as inert text: tags and entities arrive escaped', async () => {
    await transport.send({
      platform: 'wecom',
      conversationId: 'zhangsan',
      locale: 'en',
      kind: 'result',
      text: 'R7K2 was denied by lisi: read <a href="https://evil.example/y">this</a> & &lt;b&gt;',
      requestId: 'R7K2',
      state: 'denied',
      phase: 'failed',
    });
    expect(sends().map((c) => c.body)).toEqual([
      {
        touser: 'zhangsan',
        agentid: 1000002,
        msgtype: 'text',
        text: {
          content:
            'R7K2 was denied by lisi: read &lt;a href="https://evil.example/y"&gt;this&lt;/a&gt; &amp; &amp;lt;b&amp;gt;',
        },
      },
    ]);
  });

  it('keeps each escaped piece within 2048 bytes as sent', async () => {
    const line = '<b>'.repeat(100); // 300 bytes typed, 900 once escaped
    const text = [line, line, line].join('\n');
    await transport.send({ platform: 'wecom', conversationId: 'u', locale: 'en', kind: 'plan', text });
    const contents = sends().map((c) => (c.body as { text: { content: string } }).text.content);
    expect(sends().every((c) => c.errcode === 0)).toBe(true);
    expect(contents.every((c) => Buffer.byteLength(c) <= 2048)).toBe(true);
    expect(contents).toHaveLength(2);
    const unescaped = contents.map((c) => c.replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
    expect(unescaped.join('\n')).toBe(text);
  });

  it('leaves a card as it is when WeCom refuses the update for good, and still sends the text', async () => {
    await transport.send(approval('lisi'));
    fake.failNext(40058, 1, { path: '/cgi-bin/message/update_template_card' });
    await transport.send(progress('lisi', 'expired'));
    expect(updates().map((c) => c.errcode)).toEqual([40058]);
    expect(sends().at(-1)?.body).toMatchObject({ text: { content: 'R7K2 is now expired' } });
    expect(await cards.openCards('R7K2', 'lisi')).toEqual([]);
  });

  it('fails the whole message, before any text, when the update is rate limited', async () => {
    await transport.send(approval('lisi'));
    const before = sends().length;
    fake.failNext(45009, 1, { path: '/cgi-bin/message/update_template_card' });
    const error = await transport.send(progress('lisi', 'cancelled')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).retryable).toBe(true);
    expect(sends()).toHaveLength(before);
    await transport.send(progress('lisi', 'cancelled'));
    expect(updates().at(-1)).toMatchObject({ errcode: 0, body: { button: { replace_name: 'Cancelled' } } });
  });

  it('refuses messages for other platforms', async () => {
    await expect(transport.send({ ...progress('u', 'done'), platform: 'slack' })).rejects.toBeInstanceOf(
      AppError,
    );
  });
});
