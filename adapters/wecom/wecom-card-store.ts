/**
 * What sgops remembers about the approval cards it sent: which request and approver a task id
 * belongs to, and the newest `response_code` needed to update the card after a decision.
 * The app keeps them in the database (createDurableWeComCardStore), so a click handled by any
 * replica, or after a restart, updates the card; the in-memory store serves the adapter's tests.
 */
import type { Locale } from '../../src/domain/locale.ts';
import {
  wecomCardFromClick,
  type WeComCardClick,
  type WeComCardRow,
  type WeComCardTable,
} from '../../src/ports/chat-state.ts';

export interface WeComCard {
  taskId: string;
  requestId: string;
  /** The WeCom userid the card was sent to. */
  userId: string;
  locale: Locale;
  /** Single use, valid about 72 h: from the send, replaced by the one a click brings. */
  responseCode?: string;
  /** The inbound message id the click became, so the answer to that line can be recognised. */
  clickMessageId?: string;
  /** True once the card was updated to show the outcome (its response code is spent). */
  closed: boolean;
  sentAt: Date;
}

export type { WeComCardClick };

export interface WeComCardStore {
  /** Records a card just sent. */
  save(card: Omit<WeComCard, 'closed'>): Promise<void>;
  get(taskId: string): Promise<WeComCard | undefined>;
  /**
   * Records a click. A card this store never saw (a restart in between) is recorded from the
   * click itself, so it can still be updated.
   */
  recordClick(click: WeComCardClick): Promise<void>;
  /** Cards for `requestId` sent to `userId` that still show their buttons, oldest first. */
  openCards(requestId: string, userId: string): Promise<WeComCard[]>;
  /** Marks a card updated; its response code is spent. */
  close(taskId: string): Promise<void>;
  /**
   * Takes an open card to update it, at once marking it closed: of closers racing for the same
   * card (the answer to a click, the notifier, another replica) exactly one gets it, so each card
   * is updated once. Undefined when it was closed already. Follow with close, or release.
   */
  claim(taskId: string): Promise<WeComCard | undefined>;
  /** Gives back a claimed card whose update is to be tried again later: open once more. */
  release(taskId: string): Promise<void>;
}

/** Response codes live about 72 hours; cards older than that can no longer be updated. */
export const cardLifetimeMs = 72 * 3600 * 1000;

export function createInMemoryWeComCardStore(
  options: { now?: () => Date; maxCards?: number } = {},
): WeComCardStore {
  const now = options.now ?? (() => new Date());
  const maxCards = options.maxCards ?? 10_000;
  const cards = new Map<string, WeComCard>();

  // Insertion order is age order: drop expired cards, then the oldest beyond the bound.
  const prune = () => {
    const oldest = now().getTime() - cardLifetimeMs;
    for (const [taskId, card] of cards) {
      if (card.sentAt.getTime() >= oldest && cards.size <= maxCards) break;
      cards.delete(taskId);
    }
  };
  const copy = (card: WeComCard): WeComCard => ({ ...card, sentAt: new Date(card.sentAt) });

  return {
    async save(card) {
      cards.set(card.taskId, { ...card, sentAt: new Date(card.sentAt), closed: false });
      prune();
    },
    async get(taskId) {
      const card = cards.get(taskId);
      return card ? copy(card) : undefined;
    },
    async recordClick(click) {
      const card = cards.get(click.taskId);
      if (card) {
        card.responseCode = click.responseCode;
        card.clickMessageId = click.messageId;
        return;
      }
      cards.set(click.taskId, wecomCardFromClick(click, now()));
      prune();
    },
    async openCards(requestId, userId) {
      return [...cards.values()]
        .filter((c) => c.requestId === requestId && c.userId === userId && !c.closed)
        .map(copy);
    },
    async close(taskId) {
      const card = cards.get(taskId);
      if (card) {
        card.closed = true;
        delete card.responseCode;
      }
    },
    async claim(taskId) {
      const card = cards.get(taskId);
      if (!card || card.closed) return undefined;
      card.closed = true;
      return copy(card);
    },
    async release(taskId) {
      const card = cards.get(taskId);
      if (card) card.closed = false;
    },
  };
}

export interface DurableWeComCardStoreOptions {
  now?: () => Date;
}

type WeComCardRows = Pick<
  WeComCardTable,
  | 'saveWeComCard'
  | 'getWeComCard'
  | 'recordWeComCardClick'
  | 'listOpenWeComCards'
  | 'closeWeComCard'
  | 'claimWeComCard'
  | 'releaseWeComCard'
>;

/**
 * Deletes the cards past their lifetime as of `now`; returns how many. The app runs it now and
 * then (src/main.ts), so the table stays bounded without a write paying for it.
 */
export function pruneExpiredWeComCards(
  rows: Pick<WeComCardTable, 'pruneWeComCards'>,
  now: Date,
): Promise<number> {
  return rows.pruneWeComCards(new Date(now.getTime() - cardLifetimeMs));
}

/** Cards past their 72 h are not found (their response codes are dead); the prune deletes them. */
export function createDurableWeComCardStore(
  rows: WeComCardRows,
  options: DurableWeComCardStoreOptions = {},
): WeComCardStore {
  const now = options.now ?? (() => new Date());
  const oldestLive = () => new Date(now().getTime() - cardLifetimeMs);

  return {
    async save(card) {
      await rows.saveWeComCard({
        taskId: card.taskId,
        requestId: card.requestId,
        userId: card.userId,
        locale: card.locale,
        responseCode: card.responseCode ?? null,
        sentAt: card.sentAt,
      });
    },
    async get(taskId) {
      const row = await rows.getWeComCard(taskId, oldestLive());
      return row ? cardOf(row) : undefined;
    },
    async recordClick(click) {
      await rows.recordWeComCardClick(click);
    },
    async openCards(requestId, userId) {
      return (await rows.listOpenWeComCards(requestId, userId, oldestLive())).map(cardOf);
    },
    async close(taskId) {
      await rows.closeWeComCard(taskId);
    },
    async claim(taskId) {
      const row = await rows.claimWeComCard(taskId);
      return row ? cardOf(row) : undefined;
    },
    async release(taskId) {
      await rows.releaseWeComCard(taskId);
    },
  };
}

function cardOf(row: WeComCardRow): WeComCard {
  return {
    taskId: row.taskId,
    requestId: row.requestId,
    userId: row.userId,
    locale: row.locale === 'zh' ? 'zh' : 'en',
    ...(row.responseCode !== null ? { responseCode: row.responseCode } : {}),
    ...(row.clickMessageId !== null ? { clickMessageId: row.clickMessageId } : {}),
    closed: row.closed,
    sentAt: row.sentAt,
  };
}
