/**
 * Maps Slack's payloads (slash command, app mention or DM, button click, deny-reason submission)
 * to the platform-neutral ChatInbound line. Message ids come from what Slack signed, so a
 * retried or replayed delivery maps to the same id and the intake makes it a no-op.
 */
import { createHash } from 'node:crypto';
import type { ChatInbound } from '../../src/ports/chat-message.ts';
import { cutAtGraphemes } from './cut-at-graphemes.ts';
import { plainTextFromSlack } from './plain-text-from-slack.ts';

/** Longer lines are cut: the grammar refuses them anyway and the chat inbox should not hold megabytes. */
export const maxInboundLength = 4000;

export function inboundFromSlashCommand(
  command: { team_id?: string; user_id: string; channel_id: string; trigger_id: string; text?: string },
  botUserId: string,
): ChatInbound {
  const digest = createHash('sha256')
    .update(`${command.team_id ?? ''}\n${command.user_id}\n${command.trigger_id}`)
    .digest('hex')
    .slice(0, 32);
  return {
    platform: 'slack',
    messageId: `cmd.${digest}`,
    platformUserId: command.user_id,
    conversationId: command.channel_id,
    text: lineOf(plainTextFromSlack(command.text ?? '', botUserId)),
  };
}

export function inboundFromMessageEvent(
  eventId: string,
  event: { user: string; channel: string; text?: string; ts: string; thread_ts?: string },
  botUserId: string,
  options: { threadOnMessage: boolean },
): ChatInbound {
  const threadId = event.thread_ts ?? (options.threadOnMessage ? event.ts : undefined);
  return {
    platform: 'slack',
    messageId: `evt.${eventId}`,
    platformUserId: event.user,
    conversationId: event.channel,
    ...(threadId ? { threadId } : {}),
    text: lineOf(plainTextFromSlack(event.text ?? '', botUserId)),
  };
}

/** A press of a button that is a line (Approve, Repair, an offered line's Start): the presser says it. */
export function inboundFromPress(input: {
  line: string;
  userId: string;
  actionTs: string;
  channel: string;
  threadTs?: string;
}): ChatInbound {
  return {
    platform: 'slack',
    messageId: `act.${input.userId}.${input.actionTs}`,
    platformUserId: input.userId,
    conversationId: input.channel,
    ...(input.threadTs ? { threadId: input.threadTs } : {}),
    text: input.line,
  };
}

export function inboundFromDenyReason(input: {
  requestId: string;
  reason: string;
  userId: string;
  viewId: string;
  channel: string;
  threadTs?: string;
}): ChatInbound {
  return {
    platform: 'slack',
    messageId: `view.${input.viewId}`,
    platformUserId: input.userId,
    conversationId: input.channel,
    ...(input.threadTs ? { threadId: input.threadTs } : {}),
    // The grammar reads one line: a multi-line reason becomes one.
    text: lineOf(`deny ${input.requestId} ${input.reason.replace(/\s+/g, ' ').trim()}`),
  };
}

function lineOf(text: string): string {
  const line = text.length > 0 ? text : 'help';
  return cutAtGraphemes(line, maxInboundLength);
}
