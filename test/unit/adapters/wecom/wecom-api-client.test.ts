import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWeComApiClient } from '../../../../adapters/wecom/create-wecom-api-client.ts';
import { createFakeWeComApi } from '../../../../adapters/wecom/fake-api/index.ts';
import type { FakeWeComApi } from '../../../../adapters/wecom/fake-api/index.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const corp = { corpId: 'ww1234567890abcdef', corpSecret: 'app-secret', agentId: 1000002 };
let fake: FakeWeComApi;
let url: string;
let clock: Date;

beforeEach(async () => {
  clock = new Date('2026-01-01T00:00:00Z');
  fake = createFakeWeComApi({ ...corp, now: () => clock });
  url = (await fake.start()).url;
});

afterEach(async () => {
  await fake.stop();
});

const client = (overrides: Partial<Parameters<typeof createWeComApiClient>[0]> = {}) =>
  createWeComApiClient({ ...corp, apiBaseUrl: url, fetch, now: () => clock, ...overrides });

const paths = () => fake.calls().map((c) => c.path);

describe('WeCom API client', () => {
  it('fetches one access token and reuses it for later calls', async () => {
    const api = client();
    await api.sendText('zhangsan', 'hello');
    await api.sendText('lisi', 'hello again');
    expect(paths()).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send', '/cgi-bin/message/send']);
    expect(fake.calls()[0]?.body).toEqual({ corpid: corp.corpId });
    expect(fake.calls()[1]?.body).toEqual({
      touser: 'zhangsan',
      agentid: 1000002,
      msgtype: 'text',
      text: { content: 'hello' },
    });
  });

  it('shares one token fetch between concurrent calls', async () => {
    const api = client();
    await Promise.all([api.sendText('a', '1'), api.sendText('b', '2'), api.sendText('c', '3')]);
    expect(paths().filter((p) => p === '/cgi-bin/gettoken')).toHaveLength(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const api = client();
    await api.sendText('zhangsan', 'one');
    clock = new Date(clock.getTime() + (7200 - 299) * 1000);
    await api.sendText('zhangsan', 'two');
    expect(paths()).toEqual([
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
    ]);
    expect(fake.calls().every((c) => c.errcode === 0)).toBe(true);
  });

  it('refreshes the token once and retries when WeCom says it expired (42001)', async () => {
    const api = client();
    await api.sendText('zhangsan', 'one');
    fake.expireTokens();
    await api.sendText('zhangsan', 'two');
    expect(fake.calls().map((c) => [c.path, c.errcode])).toEqual([
      ['/cgi-bin/gettoken', 0],
      ['/cgi-bin/message/send', 0],
      ['/cgi-bin/message/send', 42001],
      ['/cgi-bin/gettoken', 0],
      ['/cgi-bin/message/send', 0],
    ]);
  });

  it('refreshes on an injected 40014 but gives up when the retry fails the same way', async () => {
    const api = client();
    fake.failNext(40014, 2, { path: '/cgi-bin/message/send' });
    const error = await appErrorOf(api.sendText('zhangsan', 'x'));
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ errcode: 40014 });
    expect(paths()).toEqual([
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
      '/cgi-bin/gettoken',
      '/cgi-bin/message/send',
    ]);
  });

  it('reports the rate limit 45009 as a retryable error with the errcode', async () => {
    const api = client();
    fake.failNext(45009);
    const error = await appErrorOf(api.sendText('zhangsan', 'x'));
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({
      errcode: 45009,
      errmsg: 'api freq out of limit',
      rateLimited: true,
    });
    await api.sendText('zhangsan', 'later');
    expect(fake.calls().at(-1)?.errcode).toBe(0);
  });

  it('reports other errcodes as not retryable, with errcode and errmsg', async () => {
    const api = client();
    const card = {
      taskId: 'dup-task',
      title: 'Approval needed: R7K2',
      buttons: [{ text: 'Approve', key: 'approve:R7K2' }],
    };
    await api.sendButtonCard('lisi', card);
    const error = await appErrorOf(api.sendButtonCard('lisi', card));
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ errcode: 40058, errmsg: 'task_id dup-task already exists' });
  });

  it('reports a wrong secret as a configuration error', async () => {
    const error = await appErrorOf(client({ corpSecret: 'Zq9-not-the-secret' }).sendText('zhangsan', 'x'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details).toMatchObject({ errcode: 40001 });
    expect(JSON.stringify(error.toJSON())).not.toContain('Zq9-not-the-secret');
  });

  it('reports an unreachable WeCom as a retryable NETWORK error', async () => {
    await fake.stop();
    const error = await appErrorOf(client().sendText('zhangsan', 'x'));
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(true);
  });

  it('refuses a task id WeCom would refuse, before sending', async () => {
    const error = await appErrorOf(
      client().sendButtonCard('lisi', {
        taskId: 'has:colon',
        title: 't',
        buttons: [{ text: 'A', key: 'k' }],
      }),
    );
    expect(error.details).toMatchObject({ taskId: 'has:colon' });
    expect(paths()).toEqual([]);
  });

  it('sends a button card and updates it once with its response code', async () => {
    const api = client();
    const sent = await api.sendButtonCard('lisi', {
      taskId: 'sgops-R7K2-1',
      title: 'Approval needed: R7K2',
      description: 'zhangsan asks for a pod security group',
      buttons: [
        { text: 'Approve', style: 1, key: 'approve:R7K2' },
        { text: 'Deny', style: 3, key: 'deny:R7K2' },
      ],
    });
    expect(sent.responseCode).toBe(fake.responseCodeOf('sgops-R7K2-1'));
    await api.updateButtonCard(sent.responseCode ?? '', { replaceText: 'Approved', userIds: ['lisi'] });
    const update = fake.calls().at(-1);
    expect(update?.body).toEqual({
      userids: ['lisi'],
      agentid: 1000002,
      response_code: sent.responseCode,
      button: { replace_name: 'Approved' },
    });
    const again = await appErrorOf(
      api.updateButtonCard(sent.responseCode ?? '', { replaceText: 'Approved' }),
    );
    expect(again.retryable).toBe(false);
  });
});
