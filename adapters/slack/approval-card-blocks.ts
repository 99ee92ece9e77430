/**
 * The approval card: the plan, then Approve (primary, with a confirmation) and Deny (danger)
 * buttons whose value is the request id. After a decision the same card is re-rendered without
 * buttons and with who/what/when, so nobody clicks a stale card.
 */
import type { types } from '@slack/bolt';
import type { Locale } from '../../src/domain/locale.ts';
import type { CardDecision } from '../../src/ports/chat-message.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { slackLabels } from './slack-labels.ts';
import { slackSectionLimit, truncateMrkdwn } from './split-mrkdwn.ts';
import { fallbackText, sectionsOf, type SlackMessageBody } from './text-messages.ts';

export const approveActionId = 'sgops_approve';
export const denyActionId = 'sgops_deny';
/** A link button to the request in the console: Slack still posts its click, which is only acknowledged. */
export const reviewActionId = 'sgops_review';
/** The actions block id carries the card's locale, so the deny modal speaks the same language. */
export const approvalBlockIdPrefix = 'sgops_approval.';

/** Slack refuses a message of more than 50 blocks. */
const maxBlocks = 50;
/** The plan is cut here for readability; what is approved (the essentials) never is. */
const maxPlanSections = 12;

/**
 * The card: its head, then what is approved in full (the line as asked, other teams' groups, the
 * sign-offs), then as much of the plan as fits. A card that cannot show the whole plan carries no
 * Approve button — nobody approves what they could not read — but a link to the request in the
 * console (approval from chat text or the console still works).
 */
export function approvalCardBlocks(input: {
  requestId: string;
  text: string;
  locale: Locale;
  /** From the message's `card`: shown whole; `plan` may be cut. Absent: `text` is the plan. */
  essentials?: string;
  plan?: string;
  reviewUrl?: string;
}): SlackMessageBody {
  const l = slackLabels[input.locale];
  const head: types.KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: l.approvalHeader(input.requestId) },
  };
  // Head, divider, note and buttons around the sections.
  const room = maxBlocks - 4;
  const essentials = input.essentials === undefined ? [] : sectionsOf(input.essentials);
  const plan = sectionsOf(input.plan ?? input.text);
  const planRoom = Math.max(0, Math.min(maxPlanSections, room - essentials.length));
  const cut = essentials.length > room || plan.length > planRoom;
  const blocks: types.KnownBlock[] = [
    head,
    ...essentials.slice(0, room),
    ...(essentials.length > 0 && planRoom > 0 ? [{ type: 'divider' } as const] : []),
    ...plan.slice(0, planRoom),
  ];
  if (cut) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: l.tooLongToApproveHere(input.requestId, input.reviewUrl) }],
    });
  }
  const approve: types.Button = {
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
  };
  const review: types.Button[] = input.reviewUrl
    ? [
        {
          type: 'button',
          action_id: reviewActionId,
          url: input.reviewUrl,
          value: input.requestId,
          text: { type: 'plain_text', text: l.reviewInConsole },
        },
      ]
    : [];
  return {
    text: fallbackText(`${l.approvalHeader(input.requestId)}\n${input.text}`),
    blocks: [
      ...blocks,
      {
        type: 'actions',
        block_id: `${approvalBlockIdPrefix}${input.locale}`,
        elements: [
          ...(cut ? review : [approve]),
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

/**
 * The card once decided: the plan, then the decision in words ("Approved by Bob (bob)",
 * "Denied by Carol (carol): reason") and when; no buttons. Without who decided (a message that
 * did not carry it), the outcome is read from the state.
 */
export function decidedCardBlocks(input: {
  requestId: string;
  text: string;
  locale: Locale;
  decision: CardDecision | undefined;
  state: string;
  at: string;
  /** The reader's approval is one of several: the request still waits for the others'. */
  stillWaiting?: boolean;
}): SlackMessageBody {
  const l = slackLabels[input.locale];
  const by = (input.decision?.by ?? []).map((p) => ({
    personId: escapeMrkdwn(p.personId),
    name: escapeMrkdwn(p.name),
  }));
  const reason = input.decision?.reason;
  const decided = l.decision(
    input.decision?.outcome ?? outcomeOfState(input.state),
    by,
    reason ? escapeMrkdwn(reason.replace(/\s*\n\s*/g, ' ')) : undefined,
  );
  const words = input.stillWaiting ? `${decided}\n${l.stillWaiting}` : decided;
  return {
    text: fallbackText(`${l.approvalHeader(input.requestId)}\n${words}`),
    blocks: [
      ...planBlocks(input),
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(words, slackSectionLimit) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: l.decidedAt(escapeMrkdwn(input.at)) }] },
    ],
  };
}

/** Every state after the wait but these is reached only through approval. */
function outcomeOfState(state: string): CardDecision['outcome'] {
  return state === 'denied' || state === 'cancelled' || state === 'expired' ? state : 'approved';
}

/** A decided card has no buttons: its plan is cut for readability only. */
const maxDecidedSections = 12;

function planBlocks(input: { requestId: string; text: string; locale: Locale }): types.KnownBlock[] {
  const l = slackLabels[input.locale];
  const sections = sectionsOf(input.text);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: l.approvalHeader(input.requestId) } },
    ...sections.slice(0, maxDecidedSections),
  ];
  if (sections.length > maxDecidedSections) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: l.truncated(input.requestId) }] });
  }
  return blocks;
}
