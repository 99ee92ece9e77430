/**
 * What Slack sends an app, unsigned: a slash command's form, and the `block_actions` payload of a
 * click on an approval card's button. Post them signed over HTTP (signed-chat-posts.ts) or hand
 * them over Socket Mode.
 */
import { randomBytes } from 'node:crypto';

/** `/sgops <text>` typed by `user` in `channel` (C0DEV unless told); each with a trigger id of its own unless told. */
export function slashCommandForm(command: {
  user: string;
  text: string;
  channel?: string;
  triggerId?: string;
}): Record<string, string> {
  return {
    team_id: 'T0SGOPS',
    channel_id: command.channel ?? 'C0DEV',
    user_id: command.user,
    command: '/sgops',
    text: command.text,
    trigger_id: command.triggerId ?? `${Date.now()}.${randomBytes(6).toString('hex')}`,
    response_url: 'https://hooks.slack.com/commands/T0SGOPS/1/x',
  };
}

/** `user` clicks Approve or Deny on the English approval card about `requestId`, in their DM (`D<user>` unless told). */
export function approvalButtonPayload(click: {
  user: string;
  /** Approve or Deny on an approval card, or Repair under a drift report. */
  action: 'sgops_approve' | 'sgops_deny' | 'sgops_repair';
  requestId: string;
  channel?: string;
}) {
  const channel = click.channel ?? `D${click.user}`;
  return {
    type: 'block_actions',
    user: { id: click.user },
    team: { id: 'T0SGOPS' },
    channel: { id: channel },
    container: { type: 'message', message_ts: '1700000100.000300', channel_id: channel },
    message: { ts: '1700000100.000300', text: 'Approval needed' },
    trigger_id: `${Date.now()}.trigger`,
    response_url: 'https://hooks.slack.com/actions/T0SGOPS/1/y',
    actions: [
      {
        action_id: click.action,
        block_id: click.action === 'sgops_repair' ? 'sgops_repair.en' : 'sgops_approval.en',
        value: click.requestId,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}
