/**
 * Slack as an approver meets it: the approval cards sgops posted, read back over HTTP from the fake
 * Slack API's call log (`GET /calls`), and a line typed in a DM, signed as Slack signs its events.
 */
import { signSlackRequest } from '../../adapters/slack/index.ts';

export interface SlackBlock {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  /** Buttons (text: a plain_text object) or a context's mrkdwn texts (text: a string). */
  elements?: {
    type: string;
    action_id?: string;
    value?: string;
    url?: string;
    text?: string | { type: string; text: string };
  }[];
}

export interface SlackCard {
  channel: string;
  text: string;
  blocks: SlackBlock[];
}

/** Every `chat.postMessage` the fake recorded whose buttons carry `requestId`: its approval cards. */
export async function approvalCardsOf(fakeApiUrl: string, requestId: string): Promise<SlackCard[]> {
  const res = await fetch(`${fakeApiUrl}/calls?method=chat.postMessage`);
  if (!res.ok) throw new Error(`the fake Slack API answered ${res.status} to GET /calls`);
  const calls = (await res.json()) as { body: { channel?: unknown; text?: unknown; blocks?: unknown } }[];
  return calls
    .map((c) => ({
      channel: String(c.body.channel ?? ''),
      text: String(c.body.text ?? ''),
      blocks: Array.isArray(c.body.blocks) ? (c.body.blocks as SlackBlock[]) : [],
    }))
    .filter((card) =>
      card.blocks.some(
        (b) =>
          b.type === 'actions' &&
          b.block_id?.startsWith('sgops_approval.') &&
          b.elements?.some((e) => e.value === requestId),
      ),
    );
}

/** The approval card about `requestId` posted in `channel`, once it is there. */
export async function approvalCardIn(
  fakeApiUrl: string,
  requestId: string,
  channel: string,
  timeoutMs = 20_000,
): Promise<SlackCard> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const card = (await approvalCardsOf(fakeApiUrl, requestId)).find((c) => c.channel === channel);
    if (card) return card;
    if (Date.now() > deadline) throw new Error(`no approval card about ${requestId} in ${channel}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The buttons of a card, wherever they are. */
export function buttonsOf(card: SlackCard) {
  return card.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
}

/** Everything the card shows as text: its sections and context notes, in order. */
export function shownText(card: SlackCard): string {
  return card.blocks
    .flatMap((b) => [
      ...(b.text ? [b.text.text] : []),
      ...(b.type === 'context'
        ? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))
        : []),
    ])
    .join('\n');
}

let eventSeq = 0;

/** `user` types `text` in their DM with the bot (channel `D…`), as a signed `message` event. */
export function postSlackDm(
  url: string,
  signingSecret: string,
  line: { user: string; text: string },
): Promise<Response> {
  eventSeq += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(eventSeq).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'legacy-verification-token-unused',
    team_id: 'T0SGOPS',
    api_app_id: 'A0SGOPS',
    type: 'event_callback',
    event_id: `Ev0DM${Date.now()}${eventSeq}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel_type: 'im',
      user: line.user,
      text: line.text,
      ts,
      channel: `D${line.user.replace(/^[UW]/, '')}`,
      event_ts: ts,
    },
  });
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signSlackRequest(signingSecret, body) },
    body,
  });
}
