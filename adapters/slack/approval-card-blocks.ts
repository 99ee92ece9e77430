/**
 * The approval card: the plan, then Approve (primary, with a confirmation) and Deny (danger)
 * buttons whose value is the request id. After a decision the same card is re-rendered without
 * buttons and with who/what/when, so nobody clicks a stale card.
 */
import type { types } from '@slack/bolt';
import type { Locale } from '../../src/commands/command.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { slackLabels } from './slack-labels.ts';
import { fallbackText, sectionsOf, type SlackMessageBody } from './text-messages.ts';

export const approveActionId = 'sgops_approve';
export const denyActionId = 'sgops_deny';
/** The actions block id carries the card's locale, so the deny modal speaks the same language. */
export const approvalBlockIdPrefix = 'sgops_approval.';

/** A card holds the header, the plan, a note, the buttons: stay well under Slack's 50 blocks. */
const maxPlanSections = 12;

export function approvalCardBlocks(input: {
  requestId: string;
  text: string;
  locale: Locale;
}): SlackMessageBody {
  const l = slackLabels[input.locale];
  return {
    text: fallbackText(`${l.approvalHeader(input.requestId)}\n${input.text}`),
    blocks: [
      ...planBlocks(input),
      {
        type: 'actions',
        block_id: `${approvalBlockIdPrefix}${input.locale}`,
        elements: [
          {
            type: 'button',
            action_id: approveActionId,
            style: 'primary',
            value: input.requestId,
            text: { type: 'plain_text', text: l.approve },
            confirm: {
              title: { type: 'plain_text', text: l.confirmApproveTitle },
              text: { type: 'mrkdwn', text: escapeMrkdwn(l.confirmApproveText(input.requestId)) },
              confirm: { type: 'plain_text', text: l.confirm },
              deny: { type: 'plain_text', text: l.cancel },
            },
          },
          {
            type: 'button',
            action_id: denyActionId,
            style: 'danger',
            value: input.requestId,
            text: { type: 'plain_text', text: l.deny },
          },
        ],
      },
    ],
  };
}

export function decidedCardBlocks(input: {
  requestId: string;
  text: string;
  locale: Locale;
  decision: string;
  state: string;
  at: string;
}): SlackMessageBody {
  const l = slackLabels[input.locale];
  return {
    text: fallbackText(`${l.approvalHeader(input.requestId)}\n${input.decision}`),
    blocks: [
      ...planBlocks(input),
      { type: 'divider' },
      ...sectionsOf(input.decision).slice(0, 2),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: l.decided(escapeMrkdwn(input.state), escapeMrkdwn(input.at)) }],
      },
    ],
  };
}

function planBlocks(input: { requestId: string; text: string; locale: Locale }): types.KnownBlock[] {
  const l = slackLabels[input.locale];
  const sections = sectionsOf(input.text);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: l.approvalHeader(input.requestId) } },
    ...sections.slice(0, maxPlanSections),
  ];
  if (sections.length > maxPlanSections) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: l.truncated(input.requestId) }] });
  }
  return blocks;
}
