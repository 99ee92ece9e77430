/** The `slack` config section. */
import { z } from 'zod';

/**
 * Slack (slash command /sgops, mentions, DMs, buttons); off when absent. `http`: Slack posts to
 * /slack/events (needs signingSecret); `socket`: Socket Mode, sgops opens a WebSocket to Slack
 * with the app-level token (needs appToken) and needs no public endpoint.
 */
export const slackConfigSchema = z
  .object({
    mode: z.enum(['http', 'socket']).default('http'),
    signingSecret: z.string().min(1).optional(),
    /** App-level token (`xapp-…`, scope connections:write) for Socket Mode; a secret. */
    appToken: z
      .string()
      .regex(/^xapp-/, { error: 'an app-level token starts with xapp-' })
      .optional(),
    botToken: z.string().min(1),
    botUserId: z.string().min(1),
    botId: z.string().min(1),
    /** Web API base, e.g. a fake's `http://127.0.0.1:PORT/api/`; Slack's own by default. */
    apiUrl: z.string().url().optional(),
  })
  .superRefine((slack, ctx) => {
    if (slack.mode === 'http' && !slack.signingSecret)
      ctx.addIssue({
        code: 'custom',
        path: ['signingSecret'],
        message: 'required in http mode (SLACK_SIGNING_SECRET)',
      });
    if (slack.mode === 'socket' && !slack.appToken)
      ctx.addIssue({
        code: 'custom',
        path: ['appToken'],
        message: 'required in socket mode (SLACK_APP_TOKEN)',
      });
  });

export type SlackConfig = z.output<typeof slackConfigSchema>;

/** The section's settings that may come from the environment (secrets stay out of the YAML file). */
export const slackEnv = {
  mode: 'SLACK_MODE',
  signingSecret: 'SLACK_SIGNING_SECRET',
  appToken: 'SLACK_APP_TOKEN',
  botToken: 'SLACK_BOT_TOKEN',
} as const;
