/**
 * The answer to a slash command once its line is recorded: an ephemeral "Received: `…`" echoing
 * the line, at most `maxEchoUnits` UTF-16 units of it (cut between graphemes, with an ellipsis),
 * escaped for mrkdwn so the echo cannot ping or link.
 */
import type { Locale } from '../../src/domain/locale.ts';
import { cutAtGraphemes } from './cut-at-graphemes.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { slackLabels } from './slack-labels.ts';

/** How much of the line the ack echoes, as typed (before escaping), ellipsis included. */
export const maxEchoUnits = 200;

export function echoOfLine(line: string): string {
  return line.length <= maxEchoUnits ? line : `${cutAtGraphemes(line, maxEchoUnits - 1)}…`;
}

export function slashCommandAck(line: string, locale: Locale): { response_type: 'ephemeral'; text: string } {
  return { response_type: 'ephemeral', text: slackLabels[locale].received(escapeMrkdwn(echoOfLine(line))) };
}
