/**
 * Renders one sgops text as Slack messages: sections of at most 3000 characters, a bounded
 * number per message, and a bounded number of messages; what is left is cut with a note saying
 * how to see the rest. The plain `text` is the notification fallback.
 */
import type { types } from '@slack/bolt';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { splitMrkdwn, truncateMrkdwn } from './split-mrkdwn.ts';

export interface SlackMessageBody {
  text: string;
  blocks: types.KnownBlock[];
}

export interface TextMessagesOptions {
  sectionsPerMessage?: number;
  maxMessages?: number;
  /** Appended, as its own section, when the text had to be cut. */
  truncatedNote?: string;
}

/** Slack shows at most ~4000 characters of `text` in notifications; keep the fallback short. */
const fallbackLimit = 3000;

export function sectionsOf(text: string): types.SectionBlock[] {
  return splitMrkdwn(escapeMrkdwn(text)).map((piece) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: piece },
  }));
}

export function fallbackText(text: string): string {
  return truncateMrkdwn(escapeMrkdwn(text), fallbackLimit);
}

export function textMessages(text: string, options: TextMessagesOptions = {}): SlackMessageBody[] {
  const perMessage = options.sectionsPerMessage ?? 10;
  const maxMessages = options.maxMessages ?? 5;
  const sections = sectionsOf(text.length > 0 ? text : ' ');
  const kept = sections.slice(0, perMessage * maxMessages);
  const messages: SlackMessageBody[] = [];
  for (let i = 0; i < kept.length; i += perMessage) {
    const blocks: types.KnownBlock[] = kept.slice(i, i + perMessage);
    const first = blocks[0] as types.SectionBlock | undefined;
    messages.push({ text: truncateMrkdwn(first?.text?.text ?? ' ', fallbackLimit), blocks });
  }
  if (sections.length > kept.length && options.truncatedNote) {
    messages
      .at(-1)
      ?.blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: options.truncatedNote }] });
  }
  return messages;
}
