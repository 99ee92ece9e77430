/**
 * The config sections the chat platforms declare, for src/config.ts (the one reader of the config):
 * schemas only, so reading the config loads no platform code.
 */
export { slackConfigSchema } from '../../adapters/slack/slack-config.ts';
export { wecomConfigSchema } from '../../adapters/wecom/wecom-config.ts';
