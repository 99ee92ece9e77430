/**
 * The config section each chat platform declares, keyed by its name, for src/config.ts (the one
 * reader of the config): schemas only, so reading the config loads no platform code. A new
 * platform adds its line here as well as in chat-platforms.ts.
 */
import { slackConfigSchema, slackEnv } from '../../adapters/slack/slack-config.ts';
import { wecomConfigSchema, wecomEnv } from '../../adapters/wecom/wecom-config.ts';

export const chatPlatformSections = {
  /** Slack (slash command /sgops, mentions, DMs, buttons). */
  slack: slackConfigSchema.optional(),
  /** WeCom self-built app (callback at /wecom/callback). */
  wecom: wecomConfigSchema.optional(),
};

/** Each platform's settings that may come from the environment: its key in the section → the variable. */
export const chatPlatformEnv: Record<string, Readonly<Record<string, string>>> = {
  slack: slackEnv,
  wecom: wecomEnv,
};
