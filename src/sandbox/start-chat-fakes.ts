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
import { listenPreferred } from './listen-preferred.ts';
import type { PortChoice } from './listen-preferred.ts';

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ChatFakes {
  slackApi: FakeSlackApi;
  wecomApi: FakeWeComApi;
  /** HTTP mode, as the sandbox runs Slack: the fake signs nothing, tests sign with signingSecret. */
  slack: NonNullable<ConfigInput['slack']> & { signingSecret: string; fakeApiUrl: string };
  wecom: NonNullable<ConfigInput['wecom']> & { fakeApiUrl: string };
  stop(): Promise<void>;
}

/** Each fake on its preferred port (see listen-preferred.ts), or on a free one when none is given. */
export async function startChatFakes(
  ports: { slack?: PortChoice; wecom?: PortChoice } = {},
): Promise<ChatFakes> {
  const anyPort: PortChoice = { port: 0, exact: false };
  const slackApi = createFakeSlackApi();
  const slackStarted = await listenPreferred(ports.slack ?? anyPort, 'Slack stand-in', (port) =>
    slackApi.start(port),
  );
  const wecomSettings = {
    corpId: `ww${randomBytes(8).toString('hex')}`,
    corpSecret: randomBytes(16).toString('hex'),
    agentId: 1000002,
  };
  const wecomApi = createFakeWeComApi(wecomSettings);
  const wecomStarted = await listenPreferred(ports.wecom ?? anyPort, 'WeCom stand-in', (port) =>
    wecomApi.start(port),
  );
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
