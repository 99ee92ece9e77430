/**
 * The chat platforms' working memory, kept in the database so replicas share it and restarts
 * keep it: one table per platform that needs one (what the Slack transport posted, the WeCom
 * cards sent, the console's conversation). A platform asks for the tables it needs when it opens.
 * Every table is bounded: rows expire, or (the console) only the newest are kept.
 */
export interface SlackThreadRow {
  key: string;
  value: string;
  /** The request the entry is about, when it is about one: it goes when the request does. */
  requestId: string | null;
  expiresAt: Date;
}

export interface SlackThreadTable {
  /** The value, unless it expired (by the store's clock). */
  getSlackThread(key: string): Promise<string | null>;
  /** Inserts or replaces the entry. */
  putSlackThread(row: SlackThreadRow): Promise<void>;
  /** Deletes expired entries and those whose request no longer exists; returns how many. */
  pruneSlackThreads(): Promise<number>;
}

export interface WeComCardRow {
  taskId: string;
  requestId: string;
  userId: string;
  locale: string;
  responseCode: string | null;
  clickMessageId: string | null;
  closed: boolean;
  sentAt: Date;
}

/** What a click on a WeCom approval card tells: whose card, and the response code to update it with. */
export interface WeComCardClick {
  taskId: string;
  requestId: string;
  userId: string;
  responseCode: string;
  messageId: string;
}

export interface WeComCardTable {
  /** Inserts or replaces a card just sent (open, not clicked). */
  saveWeComCard(card: Omit<WeComCardRow, 'closed' | 'clickMessageId'>): Promise<void>;
  /** The card, unless it was sent before `sentAfter`. */
  getWeComCard(taskId: string, sentAfter: Date): Promise<WeComCardRow | null>;
  /**
   * Records a click's response code and message id on the card; a card never saved (sent
   * before a restart that lost it, say) is recorded from the click, sent now.
   */
  recordWeComCardClick(click: WeComCardClick): Promise<void>;
  /** Cards for the request and user that are not closed and were sent after `sentAfter`, oldest first. */
  listOpenWeComCards(requestId: string, userId: string, sentAfter: Date): Promise<WeComCardRow[]>;
  /** Marks the card closed and forgets its (spent) response code. */
  closeWeComCard(taskId: string): Promise<void>;
  /**
   * Marks the card closed if it is still open, in one statement, and returns it (its response
   * code kept): of closers racing for it, exactly one gets it; the others get null.
   */
  claimWeComCard(taskId: string): Promise<WeComCardRow | null>;
  /** Opens again a card claimed but not updated (the update is to be tried again). */
  releaseWeComCard(taskId: string): Promise<void>;
  /** Deletes cards sent before `sentBefore`; returns how many. */
  pruneWeComCards(sentBefore: Date): Promise<number>;
}

/**
 * The card a click shows was sent, when no record of the send is left (a restart lost it): open,
 * sent now, in English (the send's locale went with it), so the decision can still update it.
 */
export function wecomCardFromClick(click: WeComCardClick, sentAt: Date) {
  return {
    taskId: click.taskId,
    requestId: click.requestId,
    userId: click.userId,
    locale: 'en' as const,
    responseCode: click.responseCode,
    clickMessageId: click.messageId,
    closed: false,
    sentAt,
  };
}

export interface ConsoleMessageRow {
  seq: number;
  conversationId: string;
  message: Record<string, unknown>;
  at: Date;
}

export interface ConsoleMessageTable {
  /** Appends a message with the next seq, keeping only the newest `keep` messages. */
  appendConsoleMessage(
    conversationId: string,
    message: Record<string, unknown>,
    keep: number,
  ): Promise<ConsoleMessageRow>;
  /** Oldest first: messages after `afterSeq` (0 by default), of one conversation when named. */
  listConsoleMessages(filter: {
    conversationId?: string;
    afterSeq?: number;
    limit?: number;
  }): Promise<ConsoleMessageRow[]>;
  /** The newest seq handed out (0 before the first message). */
  lastConsoleSeq(): Promise<number>;
}

/** Every platform's table, as one store holds them. */
export type ChatStateStore = SlackThreadTable & WeComCardTable & ConsoleMessageTable;
