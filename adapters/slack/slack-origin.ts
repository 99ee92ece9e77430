/**
 * Where a Slack line came from when it was a slash command, a click or a modal, so the transport
 * can answer errors privately (ephemeral) to that person. Derived from what the reply already
 * carries — the line's message id (slack-inbound.ts names it after its kind) and its author — so
 * acknowledging a command costs no extra write.
 */
export interface SlackOrigin {
  via: 'command' | 'action' | 'view';
  user: string;
}

const viaOfPrefix: Record<string, SlackOrigin['via']> = { cmd: 'command', act: 'action', view: 'view' };

export function slackOriginOf(messageId: string | undefined, user: string | undefined): SlackOrigin | null {
  if (!messageId || !user) return null;
  const via = viaOfPrefix[messageId.slice(0, messageId.indexOf('.'))];
  return via ? { via, user } : null;
}
