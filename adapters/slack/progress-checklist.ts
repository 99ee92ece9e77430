/**
 * The one progress message of a request in a thread: every progress text seen so far as a
 * checklist (earlier lines done, the latest one current) and the request's state. Rewritten in
 * place with chat.update as steps finish.
 */
import type { Locale } from '../../src/commands/command.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { slackLabels } from './slack-labels.ts';
import { slackSectionLimit, truncateMrkdwn } from './split-mrkdwn.ts';
import type { SlackMessageBody } from './text-messages.ts';

export interface ProgressChecklist {
  requestId: string;
  locale: Locale;
  state: string;
  lines: string[];
}

const endMarks: Record<string, string> = {
  done: ':white_check_mark:',
  needsAttention: ':warning:',
  failed: ':x:',
  rolledBack: ':leftwards_arrow_with_hook:',
  denied: ':no_entry_sign:',
  expired: ':hourglass:',
  cancelled: ':no_entry_sign:',
  planned: ':memo:',
  // A time-bound grant in force until it expires, then ended by its revoke (or covered by another grant).
  active: ':white_check_mark:',
  revoked: ':lock:',
  lapsed: ':hourglass:',
};

export const terminalStates: ReadonlySet<string> = new Set(Object.keys(endMarks));

const lineLimit = 300;
const keptLines = 40;

/** Adds a line unless it repeats the latest one (a re-armed wait says the same thing again). */
export function withProgressLine(
  checklist: ProgressChecklist,
  line: string,
  state: string,
): ProgressChecklist {
  const text = line.trim();
  const lines =
    text.length === 0 || checklist.lines.at(-1) === text ? checklist.lines : [...checklist.lines, text];
  return { ...checklist, state, lines: lines.slice(-keptLines) };
}

export function progressMessage(checklist: ProgressChecklist): SlackMessageBody {
  const l = slackLabels[checklist.locale];
  const last = checklist.lines.length - 1;
  const currentMark = endMarks[checklist.state] ?? ':hourglass_flowing_sand:';
  const rows = checklist.lines.map((line, i) => {
    const mark = i < last ? ':white_check_mark:' : currentMark;
    return `${mark} ${truncateMrkdwn(escapeMrkdwn(line.replace(/\s*\n\s*/g, ' ')), lineLimit)}`;
  });
  const head = `${l.progressTitle(escapeMrkdwn(checklist.requestId))} · ${l.state(escapeMrkdwn(checklist.state))}`;
  // Oldest lines give way first when the checklist outgrows one section.
  while (rows.length > 1 && [head, ...rows].join('\n').length > slackSectionLimit) rows.shift();
  const body = [head, ...rows].join('\n');
  return {
    text: truncateMrkdwn(body, slackSectionLimit),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(body, slackSectionLimit) } }],
  };
}
