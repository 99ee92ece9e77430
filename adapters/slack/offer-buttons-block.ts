/**
 * The Start buttons under an answer that offers lines to type (explain's smallest change): each
 * button's value is the line, and a press is the presser's own line, checked as if typed.
 */
import type { types } from '@slack/bolt';
import type { Locale } from '../../src/domain/locale.ts';
import { slackLabels } from './slack-labels.ts';

export const offerActionId = 'sgops_offer';

/** A button's value holds at most 2,000 characters; a longer line is left to be copied. */
const maxValue = 2000;

export function offerButtonsBlock(lines: readonly string[], locale: Locale): types.ActionsBlock | null {
  const fit = lines.filter((line) => line.length <= maxValue).slice(0, 5);
  if (fit.length === 0) return null;
  return {
    type: 'actions',
    block_id: `sgops_offer.${locale}`,
    elements: fit.map((line, i) => ({
      type: 'button',
      action_id: `${offerActionId}.${i}`,
      value: line,
      text: {
        type: 'plain_text',
        text: fit.length === 1 ? slackLabels[locale].start : `${slackLabels[locale].start} ${i + 1}`,
      },
    })),
  };
}
