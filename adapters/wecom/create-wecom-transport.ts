/**
 * The WeCom side of ChatTransport. Messages go to one member (conversationId is the WeCom userid;
 * app chats have no threads). An approval becomes the full text and then a `button_interaction`
 * card with Approve / Deny; once the request no longer waits for a person (by its state's phase),
 * or this approver's own click was answered, the card is updated with update_template_card to show
 * the outcome.
 * Template cards cannot go to group chats, so cards are only ever sent to individuals.
 * Texts go out as text messages, escaped (escapeWeComText): they carry words people typed, and
 * WeCom renders links in text. Not as markdown, which renders `[label](url)` and offers no escape.
 * Card fields are plain text in WeCom and go as they are.
 */
import type { Locale } from '../../src/domain/locale.ts';
import {
  messagePhase,
  ownApproval,
  type CardDecision,
  type ChatOutbound,
  type ChatTransport,
} from '../../src/ports/chat-message.ts';
import { AppError, toAppError } from '../../src/errors.ts';
import type { WeComCallbackLogger } from './create-wecom-callback.ts';
import type { WeComApiClient } from './create-wecom-api-client.ts';
import { escapeWeComText, escapedWeComTextBytes } from './escape-wecom-text.ts';
import { cardButtonKey, maxOfferKeyBytes, offerButtonKey } from './read-wecom-message.ts';
import { splitUtf8 } from './split-utf8.ts';
import type { WeComCard, WeComCardStore } from './wecom-card-store.ts';
import { newWeComTaskId } from './wecom-task-id.ts';

/** WeCom's limit for text content, counted as sent (escaped). */
export const maxWeComTextBytes = 2048;

export interface WeComTransportOptions {
  api: WeComApiClient;
  cards: WeComCardStore;
  logger?: WeComCallbackLogger;
  now?: () => Date;
  newTaskId?: (requestId: string, userId: string, at: Date) => string;
}

interface CardTexts {
  title: (id: string) => string;
  approve: string;
  deny: string;
  /** The card under a drift report: its title, what the button does, the button. */
  driftTitle: (id: string) => string;
  repairHint: string;
  repair: string;
  offerTitle: string;
  start: string;
  outcome: Record<'approved' | 'denied' | 'expired' | 'cancelled' | 'youApproved', string>;
  /** The outcome with who decided, e.g. "Denied by Carol"; a button's label, so names only. */
  outcomeBy: (outcome: CardDecision['outcome'], names: string) => string;
}

export const weComCardTexts: Record<Locale, CardTexts> = {
  en: {
    title: (id) => `Approval needed: ${id}`,
    approve: 'Approve',
    deny: 'Deny',
    driftTitle: (id) => `Not as approved: ${id}`,
    repairHint: 'Repair asks sgops to put it back, as if you typed `repair`.',
    repair: 'Repair',
    offerTitle: 'Start the change this answer offers?',
    start: 'Start',
    outcome: {
      approved: 'Approved',
      denied: 'Denied',
      expired: 'Expired',
      cancelled: 'Cancelled',
      youApproved: 'You approved',
    },
    outcomeBy: (outcome, names) =>
      `${{ approved: 'Approved', denied: 'Denied', cancelled: 'Cancelled', expired: 'Expired' }[outcome]} by ${names}`,
  },
  zh: {
    title: (id) => `待审批：${id}`,
    approve: '批准',
    deny: '拒绝',
    driftTitle: (id) => `与批准时不一致：${id}`,
    repairHint: '点击“修复”即申请恢复，与输入“修复”命令相同。',
    repair: '修复',
    offerTitle: '发起此回答建议的变更？',
    start: '发起',
    outcome: {
      approved: '已批准',
      denied: '已拒绝',
      expired: '已过期',
      cancelled: '已取消',
      youApproved: '您已批准',
    },
    outcomeBy: (outcome, names) =>
      `${names} ${{ approved: '已批准', denied: '已拒绝', cancelled: '已取消', expired: '已过期' }[outcome]}`,
  },
};

const maxCardDescription = 100;

function outcomeOf(state: string): keyof CardTexts['outcome'] {
  if (state === 'denied' || state === 'expired' || state === 'cancelled') return state;
  // Every other state after the wait for a decision is reached only through approval.
  return 'approved';
}

function describe(text: string): string {
  const first = text.split('\n').find((line) => line.trim().length > 0) ?? '';
  const chars = [...first.trim()];
  return chars.length <= maxCardDescription
    ? chars.join('')
    : `${chars.slice(0, maxCardDescription - 1).join('')}…`;
}

export function createWeComTransport(options: WeComTransportOptions): ChatTransport {
  const { api, cards, logger } = options;
  const now = options.now ?? (() => new Date());
  const newTaskId = options.newTaskId ?? newWeComTaskId;

  /** Which of the recipient's open cards for this request this message closes, and with what text. */
  function closing(message: ChatOutbound, card: WeComCard): string | undefined {
    const locale = card.locale;
    const texts = weComCardTexts[locale].outcome;
    const waiting = messagePhase(message) === 'waiting';
    const decision = message.decision;
    if (message.state !== undefined && !waiting && decision && decision.by.length > 0) {
      return weComCardTexts[locale].outcomeBy(decision.outcome, decision.by.map((p) => p.name).join(', '));
    }
    if (message.state !== undefined && !waiting) return texts[decision?.outcome ?? outcomeOf(message.state)];
    // His approval, one of several, given elsewhere: this card of his closes too.
    if (ownApproval(message)) return texts.youApproved;
    const answersClick = card.clickMessageId !== undefined && message.inReplyTo === card.clickMessageId;
    if (answersClick && message.kind !== 'error' && waiting) return texts.youApproved;
    return undefined;
  }

  async function updateCards(message: ChatOutbound, user: string): Promise<void> {
    if (!message.requestId) return;
    for (const open of await cards.openCards(message.requestId, user)) {
      const replaceText = closing(message, open);
      if (replaceText === undefined) continue;
      // Another closer (the answer to a click, the notifier, another replica) may be at this card
      // too: whoever claims it updates it, once; a response code is good for one update only.
      const card = await cards.claim(open.taskId);
      if (!card) continue;
      if (!card.responseCode) {
        await cards.close(card.taskId);
        continue;
      }
      try {
        await api.updateButtonCard(card.responseCode, { replaceText, userIds: [user] });
      } catch (error) {
        const e = toAppError(error);
        // Later: the message is retried as a whole and nothing else was sent yet; the card open again for it.
        if (e.retryable) {
          await cards.release(card.taskId);
          throw e;
        }
        // A spent or expired response code: the card stays as it is; the text below still says it.
        logger?.warn({ err: e, taskId: card.taskId, requestId: card.requestId }, 'wecom card update failed');
      }
      await cards.close(card.taskId);
    }
  }

  async function sendCard(message: ChatOutbound, user: string, requestId: string): Promise<void> {
    // A retried notification must not put a second live card in front of the approver.
    if ((await cards.openCards(requestId, user)).length > 0) return;
    const texts = weComCardTexts[message.locale];
    const at = now();
    const taskId = newTaskId(requestId, user, at);
    const wanted = new Set((message.actions ?? []).map((a) => a.id));
    const buttons = [
      ...(wanted.has('approve')
        ? [{ text: texts.approve, style: 1, key: cardButtonKey('approve', requestId) }]
        : []),
      ...(wanted.has('deny') ? [{ text: texts.deny, style: 3, key: cardButtonKey('deny', requestId) }] : []),
    ];
    const sent = await api.sendButtonCard(user, {
      taskId,
      title: texts.title(requestId),
      description: describe(message.text),
      buttons,
    });
    await cards.save({
      taskId,
      requestId,
      userId: user,
      locale: message.locale,
      ...(sent.responseCode ? { responseCode: sent.responseCode } : {}),
      sentAt: at,
    });
  }

  /**
   * A drift report's Repair button. Not kept with the approval cards: it decides nothing, so no
   * later message closes it, and a press is the presser's line `repair <id>`.
   */
  async function sendRepairCard(message: ChatOutbound, user: string, requestId: string): Promise<void> {
    const texts = weComCardTexts[message.locale];
    await api.sendButtonCard(user, {
      taskId: newTaskId(requestId, user, now()),
      title: texts.driftTitle(requestId),
      description: texts.repairHint,
      buttons: [{ text: texts.repair, style: 1, key: cardButtonKey('repair', requestId) }],
    });
  }

  /**
   * An answer's offered lines as Start buttons (at most three; a line too long for a key is left to
   * be copied from the text). A press is the presser's own line; no later message closes the card.
   */
  async function sendOfferCard(message: ChatOutbound, user: string, lines: readonly string[]): Promise<void> {
    const fit = lines.filter((l) => Buffer.byteLength(offerButtonKey(l)) <= maxOfferKeyBytes).slice(0, 3);
    if (fit.length === 0) return;
    const texts = weComCardTexts[message.locale];
    await api.sendButtonCard(user, {
      taskId: newTaskId('offer', user, now()),
      title: texts.offerTitle,
      description: fit.join('\n'),
      buttons: fit.map((line, i) => ({
        text: fit.length === 1 ? texts.start : `${texts.start} ${i + 1}`,
        style: 1,
        key: offerButtonKey(line),
      })),
    });
  }

  return {
    async closeCards(message) {
      if (message.platform !== 'wecom') return;
      await updateCards(message, message.conversationId);
    },
    async send(message) {
      if (message.platform !== 'wecom') {
        throw new AppError('INTERNAL', `The WeCom transport cannot send to ${message.platform}`, {
          details: { platform: message.platform },
        });
      }
      const user = message.conversationId;
      await updateCards(message, user);
      for (const piece of splitUtf8(message.text, maxWeComTextBytes, escapedWeComTextBytes)) {
        if (piece.trim().length === 0) continue;
        await api.sendText(user, escapeWeComText(piece));
      }
      const requestId = message.actions?.[0]?.requestId ?? message.requestId;
      if (message.kind === 'approval' && requestId && (message.actions?.length ?? 0) > 0) {
        await sendCard(message, user, requestId);
      }
      const repair = message.actions?.find((a) => a.id === 'repair');
      if (message.kind !== 'approval' && repair) await sendRepairCard(message, user, repair.requestId);
      if (message.offers?.length) await sendOfferCard(message, user, message.offers);
    },
  };
}
