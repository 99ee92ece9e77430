/**
 * The config section each chat platform declares, keyed by its name, for src/config.ts (the one
 * reader of the config): schemas only, so reading the config loads no platform code. A new
 * platform adds its line here as well as in chat-platforms.ts.
 */
import { slackConfigSchema } from '../../adapters/slack/slack-config.ts';
import { wecomConfigSchema } from '../../adapters/wecom/wecom-config.ts';

export const chatPlatformSections = {
  /** Slack (slash command /sgops, mentions, DMs, buttons). */
  slack: slackConfigSchema.optional(),
  /** WeCom self-built app (callback at /wecom/callback). */
  wecom: wecomConfigSchema.optional(),
};
