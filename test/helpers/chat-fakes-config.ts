import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';

/**
 * The config a world needs to talk Slack and WeCom through the fake APIs: their settings, and an
 * HTTP server on a free loopback port for their callbacks.
 */
export function chatFakesConfig(fakes: ChatFakes) {
  const { fakeApiUrl: _slackApi, ...slack } = fakes.slack;
  const { fakeApiUrl: _wecomApi, ...wecom } = fakes.wecom;
  return { http: { host: '127.0.0.1', port: 0 }, slack, wecom };
}
