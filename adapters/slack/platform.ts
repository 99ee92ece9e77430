/**
 * Slack as a chat platform: slash command, mentions, DMs and buttons over HTTP or Socket Mode;
 * replies threaded and approval cards updated in place (what was posted is in `slack_threads`).
 * Bolt loads only when Slack is configured: alone it keeps ~13 MB resident (docs/performance.md).
 */
import { z } from 'zod';
import type { ChatPlatform } from '../../src/ports/chat-platform.ts';
import { slackConfigSchema, type SlackConfig } from './slack-config.ts';
import { createDurableSlackThreadStore } from './slack-thread-store.ts';
import { slackUserGroupReader } from './read-slack-user-group.ts';

export const slackPlatform: ChatPlatform<SlackConfig> = {
  name: 'slack',
  config: slackConfigSchema,
  identity: {
    personId: z.string().min(1),
    directoryGroup: {
      field: 'slackUserGroup',
      /** A Slack user group id (`S…`, as in the group's link or `usergroups.list`). */
      value: z
        .string()
        .regex(/^S[A-Z0-9]{2,}$/, 'a Slack user group id looks like S0123ABCD (see usergroups.list)'),
      described: 'a Slack user group',
      platformTitle: 'Slack',
    },
  },
  async open({ section, intake, state, clock, logger }) {
    if (!section) return null;
    const kit = await import('./index.ts');
    const threads = createDurableSlackThreadStore(state, { now: () => clock.now() });
    const slack = kit.createSlackAdapter({
      mode: section.mode,
      ...(section.signingSecret ? { signingSecret: section.signingSecret } : {}),
      ...(section.appToken ? { appToken: section.appToken } : {}),
      botToken: section.botToken,
      botUserId: section.botUserId,
      botId: section.botId,
      ...(section.apiUrl ? { apiUrl: section.apiUrl } : {}),
      intake,
      logger,
      threads,
      resolveRequestThread: kit.requestOfThread(threads),
    });
    return {
      transport: kit.createSlackTransport({ client: slack.client, threads, logger }),
      routes: slack.mode === 'http' ? [{ prefix: '/slack/', listener: slack.requestListener }] : [],
      directory: { slackUserGroup: (id) => slackUserGroupReader(slack.client)(String(id)) },
      connect: () => slack.start(),
      disconnect: () => slack.close(),
    };
  },
  prune: (state) => state.pruneSlackThreads(),
};
