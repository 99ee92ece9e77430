/**
 * Where a Slack line came from when it was a slash command, a click or a modal: the adapter
 * writes it, the transport reads it to answer errors privately (ephemeral) to that person.
 */
export interface SlackOrigin {
  via: 'command' | 'action' | 'view';
  user: string;
  channel: string;
}

export function originKey(messageId: string): string {
  return `origin:${messageId}`;
}

export function parseSlackOrigin(raw: string | undefined): SlackOrigin | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SlackOrigin>;
    if (typeof value.user !== 'string' || typeof value.channel !== 'string') return null;
    if (value.via !== 'command' && value.via !== 'action' && value.via !== 'view') return null;
    return { via: value.via, user: value.user, channel: value.channel };
  } catch {
    return null;
  }
}
