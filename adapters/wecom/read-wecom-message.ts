/**
 * Turns a decrypted WeCom callback into what sgops understands: a text line, a card click that
 * becomes the line `approve <id>` / `deny <id> <reason>`, or something sgops ignores.
 */
import type { Locale } from '../../src/domain/locale.ts';
import type { DecisionLine } from '../../src/ports/decision-line.ts';
import { normaliseRequestId } from '../../src/domain/request-id.ts';
import type { WeComXmlFields } from './parse-wecom-xml.ts';

/** A card button: a decision on an approval card, or a drift report's Repair. */
export type WeComCardDecision = 'approve' | 'deny' | 'repair';

export type WeComMessage =
  | { kind: 'text'; dedupeKey: string; messageId: string; userId: string; text: string }
  | {
      kind: 'cardClick';
      dedupeKey: string;
      messageId: string;
      userId: string;
      decision: WeComCardDecision;
      requestId: string;
      taskId: string;
      responseCode: string;
    }
  /** A press of an answer's Start button: the presser's own line, checked as if typed. */
  | { kind: 'offerClick'; dedupeKey: string; messageId: string; userId: string; line: string }
  | { kind: 'ignored'; reason: string };

/**
 * WeCom cards cannot ask for free text, so a Deny click carries this fixed reason; a person who
 * wants to give their own types `deny <id> <reason>` / `拒绝 <id> <原因>` instead.
 */
export const cardDenyReasons: Record<Locale, string> = {
  en: 'denied from the WeCom card',
  zh: '在企业微信卡片上拒绝',
};

/** The button key of an offered line: `say:<line>` (a key holds up to 1,024 bytes). */
export const offerButtonKey = (line: string): string => `say:${line}`;
export const maxOfferKeyBytes = 1024;

/** The button key of a decision: `approve:R7K2`. */
export function cardButtonKey(decision: WeComCardDecision, requestId: string): string {
  return `${decision}:${requestId}`;
}

function parseButtonKey(key: string): { decision: WeComCardDecision; requestId: string } | undefined {
  const match = /^(approve|deny|repair):(\S+)$/.exec(key);
  const requestId = match ? normaliseRequestId(match[2] ?? '') : null;
  if (!match || !requestId) return undefined;
  return { decision: match[1] as WeComCardDecision, requestId };
}

/** The chat line a click stands for, in the language of the card that was clicked. */
export function cardClickLine(
  decision: WeComCardDecision,
  requestId: string,
  locale: Locale,
  line: DecisionLine,
): string {
  return decision === 'deny'
    ? line('deny', requestId, locale, cardDenyReasons[locale])
    : line(decision, requestId, locale);
}

export function readWeComMessage(fields: WeComXmlFields, agentId: string): WeComMessage {
  const from = fields['FromUserName'] ?? '';
  if (!from) return { kind: 'ignored', reason: 'no FromUserName' };
  const agent = fields['AgentID'];
  // A message for another app of the same corp is not ours to act on.
  if (agent !== undefined && agent !== '' && agent !== agentId) {
    return { kind: 'ignored', reason: `AgentID ${agent} is not ${agentId}` };
  }
  const type = fields['MsgType'];
  if (type === 'text') {
    const msgId = fields['MsgId'] ?? '';
    const text = fields['Content'] ?? '';
    if (!/^\d{1,24}$/.test(msgId)) return { kind: 'ignored', reason: 'text message without a MsgId' };
    if (!text) return { kind: 'ignored', reason: 'empty text message' };
    return { kind: 'text', dedupeKey: `msg.${msgId}`, messageId: msgId, userId: from, text };
  }
  if (type === 'event' && fields['Event'] === 'template_card_event') {
    const key = fields['EventKey'] ?? '';
    const createTime = fields['CreateTime'] ?? '';
    const taskId = fields['TaskId'] ?? '';
    const responseCode = fields['ResponseCode'] ?? '';
    if (!/^\d{1,12}$/.test(createTime)) return { kind: 'ignored', reason: 'card event without a CreateTime' };
    if (key.startsWith('say:') && key.slice(4).trim() !== '') {
      const line = key.slice(4).trim();
      const dedupeKey = `card.${from}.${createTime}.say.${taskId}`;
      return { kind: 'offerClick', dedupeKey, messageId: dedupeKey, userId: from, line };
    }
    const parsed = parseButtonKey(key);
    if (!parsed) return { kind: 'ignored', reason: `unknown card button key ${JSON.stringify(key)}` };
    // WeCom's events have no id: the clicker, the second and the button together identify a click.
    const dedupeKey = `card.${from}.${createTime}.${parsed.decision}.${parsed.requestId}`;
    return {
      kind: 'cardClick',
      dedupeKey,
      messageId: dedupeKey,
      userId: from,
      ...parsed,
      taskId,
      responseCode,
    };
  }
  return { kind: 'ignored', reason: `MsgType ${type ?? '?'}${fields['Event'] ? `/${fields['Event']}` : ''}` };
}
