/**
 * The one progress message of a request in a thread: every progress text seen so far as a
 * checklist (earlier lines done, the latest one current) and the request's state. Rewritten in
 * place with chat.update as steps finish.
 */
import type { Locale } from '../../src/domain/locale.ts';
import { messagePhase } from '../../src/ports/chat-message.ts';
import type { StatePhase } from '../../src/ports/state-phase.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { slackLabels } from './slack-labels.ts';
import { slackSectionLimit, truncateMrkdwn } from './split-mrkdwn.ts';
import type { SlackMessageBody } from './text-messages.ts';

export interface ProgressChecklist {
  requestId: string;
  locale: Locale;
  state: string;
  /** What `state` means (its workflow says); a checklist stored without it is read by the state's name. */
  phase?: StatePhase;
  lines: string[];
}

/** How a request that came to rest ended, by what its last state means. */
const restMarks: Record<'ok' | 'failed', string> = { ok: ':white_check_mark:', failed: ':x:' };

/** A finer mark for some ends the registered workflows share (a dry run, a revoke, a timeout). */
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

const lineLimit = 300;
const keptLines = 40;

/** Adds a line unless it repeats the latest one (a re-armed wait says the same thing again). */
export function withProgressLine(
  checklist: ProgressChecklist,
  line: string,
  state: string,
  phase?: StatePhase,
): ProgressChecklist {
  const text = line.trim();
  const lines =
    text.length === 0 || checklist.lines.at(-1) === text ? checklist.lines : [...checklist.lines, text];
  const { phase: _previous, ...rest } = checklist;
  return { ...rest, state, ...(phase ? { phase } : {}), lines: lines.slice(-keptLines) };
}

/** The mark of the latest line: still going, or how the request came to rest. */
function currentMark(checklist: ProgressChecklist): string {
  const phase = messagePhase(checklist);
  if (phase !== 'ok' && phase !== 'failed') return ':hourglass_flowing_sand:';
  return endMarks[checklist.state] ?? restMarks[phase];
}

export function progressMessage(checklist: ProgressChecklist): SlackMessageBody {
  const l = slackLabels[checklist.locale];
  const last = checklist.lines.length - 1;
  const latest = currentMark(checklist);
  const rows = checklist.lines.map((line, i) => {
    const mark = i < last ? ':white_check_mark:' : latest;
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
