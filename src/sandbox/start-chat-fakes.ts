/**
 * The fake Slack Web API and the fake WeCom API, with matching bot settings, for the sandbox and
 * for tests: sgops talks to them exactly as it would to Slack and WeCom.
 */
import { randomBytes } from 'node:crypto';
import { createFakeSlackApi } from '../../adapters/slack/index.ts';
import type { FakeSlackApi } from '../../adapters/slack/index.ts';
import { createFakeWeComApi } from '../../adapters/wecom/fake-api/index.ts';
import type { FakeWeComApi } from '../../adapters/wecom/fake-api/index.ts';
import type { ConfigInput } from '../config.ts';

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ChatFakes {
  slackApi: FakeSlackApi;
  wecomApi: FakeWeComApi;
  /** HTTP mode, as the sandbox runs Slack: the fake signs nothing, tests sign with signingSecret. */
  slack: NonNullable<ConfigInput['slack']> & { signingSecret: string; fakeApiUrl: string };
  wecom: NonNullable<ConfigInput['wecom']> & { fakeApiUrl: string };
  stop(): Promise<void>;
}

export async function startChatFakes(ports: { slack?: number; wecom?: number } = {}): Promise<ChatFakes> {
  const slackApi = createFakeSlackApi();
  const slackStarted = await slackApi.start(ports.slack ?? 0);
  const wecomSettings = {
    corpId: `ww${randomBytes(8).toString('hex')}`,
    corpSecret: randomBytes(16).toString('hex'),
    agentId: 1000002,
  };
  const wecomApi = createFakeWeComApi(wecomSettings);
  const wecomStarted = await wecomApi.start(ports.wecom ?? 0);
  return {
    slackApi,
    wecomApi,
    slack: {
      signingSecret: randomBytes(16).toString('hex'),
      botToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
      botUserId: 'USGOPSBOT',
      botId: 'BSGOPSBOT',
      apiUrl: slackStarted.apiUrl,
      fakeApiUrl: slackStarted.url,
    },
    wecom: {
      ...wecomSettings,
      token: randomBytes(12).toString('hex'),
      // 43 characters of base64 without padding: WeCom's EncodingAESKey format.
      encodingAESKey: Array.from(randomBytes(43), (b) => alphanumeric[b % alphanumeric.length]).join(''),
      apiBaseUrl: wecomStarted.url,
      fakeApiUrl: wecomStarted.url,
    },
    async stop() {
      await Promise.all([slackApi.stop(), wecomApi.stop()]);
    },
  };
}
