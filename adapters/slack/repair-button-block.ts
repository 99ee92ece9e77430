/**
 * The Repair button under a drift report: its value is the grant's id, and a press is the
 * presser's line `repair <id>` (the chat's own checks decide, as for a typed line).
 */
import type { types } from '@slack/bolt';
import type { Locale } from '../../src/domain/locale.ts';
import { slackLabels } from './slack-labels.ts';

export const repairActionId = 'sgops_repair';

export function repairButtonBlock(requestId: string, locale: Locale): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: `sgops_repair.${locale}`,
    elements: [
      {
        type: 'button',
        action_id: repairActionId,
        style: 'primary',
        value: requestId,
        text: { type: 'plain_text', text: slackLabels[locale].repair },
      },
    ],
  };
}
