/**
 * What the web console needs from the console chat platform: say a line as a person and read what
 * the bot answered. The console chat (adapters/console/console-chat.ts) has this shape; the
 * composition root hands it over, so the web console never imports the chat platform itself.
 */
import type { ChatOutbound } from '../ports/chat-message.ts';

/** A message the bot sent to a console conversation, numbered in the order it was kept. */
export interface KeptConsoleMessage extends ChatOutbound {
  seq: number;
  at: string;
}

export interface ConsoleConversations {
  /** Queues a line as `personId`; resolves with the message id once it is recorded. */
  say(personId: string, text: string): Promise<string>;
  /** Messages the bot sent to a person's console conversation after `afterSeq`, oldest first (one page). */
  messagesFor(personId: string, afterSeq?: number): Promise<KeptConsoleMessage[]>;
  /** The newest message's sequence number: replies to a line said now will come after it. */
  lastSeq(): Promise<number>;
  /**
   * Messages for a person after `afterSeq` (one page); waits up to `waitMs` for the first one
   * when there is none yet. When `signal` aborts (the server is closing) it answers none at once.
   */
  poll(
    personId: string,
    afterSeq: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<KeptConsoleMessage[]>;
  /** Subscribes to new messages, from this replica and the others; returns the unsubscribe function. */
  subscribe(listener: (m: KeptConsoleMessage) => void): () => void;
}
