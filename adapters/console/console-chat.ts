/**
 * The console's chat port: say a line as a person and read the bot's messages. It is a real
 * platform to the rest of sgops (lines go through the intake and the chat queue like Slack's);
 * tests and the web console use it alike.
 *
 * Replicas share it: the messages live in a ConsoleHistory (the database), so a reply sent by
 * any replica's worker is read by a client of any other, and a ConsoleBus (Redis pub/sub) tells
 * the other replicas at once, waking their long-polls and live views. The bus only hurries
 * things along: a hint it loses delays a reader until its next look, nothing more.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ChatIntake } from '../../src/ports/chat-intake.ts';
import type { ChatOutbound, ChatTransport } from '../../src/ports/chat-message.ts';

export interface ConsoleMessage extends ChatOutbound {
  seq: number;
  at: string;
}

/** Where the console's messages are kept, numbered in the order they were kept. */
export interface ConsoleHistory {
  append(message: ChatOutbound): Promise<ConsoleMessage>;
  /** Oldest first: after `afterSeq`, of one conversation when named, at most `limit`. */
  list(filter: { conversationId?: string; afterSeq?: number; limit: number }): Promise<ConsoleMessage[]>;
  /** The newest seq (0 when there is none). */
  lastSeq(): Promise<number>;
}

/** Carries each new message to the other replicas. */
export interface ConsoleBus {
  /** Never throws: a message that does not get through is found in the history later. */
  publish(message: ConsoleMessage): void;
  /** Messages other replicas published; returns the unsubscribe function. */
  onMessage(listener: (message: ConsoleMessage) => void): () => void;
}

export interface ConsoleChat extends ChatTransport {
  /** Queues a line as `personId`; resolves with the message id once it is recorded. */
  say(personId: string, text: string): Promise<string>;
  /** Messages the bot sent to a person's console conversation after `afterSeq`, oldest first (one page). */
  messagesFor(personId: string, afterSeq?: number): Promise<ConsoleMessage[]>;
  /** Resolves with the first message (already sent or future) that matches, or rejects after `timeoutMs`. */
  waitFor(predicate: (m: ConsoleMessage) => boolean, timeoutMs?: number): Promise<ConsoleMessage>;
  /** The newest message's sequence number: replies to a line said now will come after it. */
  lastSeq(): Promise<number>;
  /**
   * Messages for a person after `afterSeq` (one page); waits up to `waitMs` for the first one
   * when there is none yet. When `signal` aborts (the server is closing) it answers none at once.
   */
  poll(personId: string, afterSeq: number, waitMs: number, signal?: AbortSignal): Promise<ConsoleMessage[]>;
  /** Subscribes to new messages, from this replica and the others; returns the unsubscribe function. */
  subscribe(listener: (m: ConsoleMessage) => void): () => void;
}

/** A reader gets at most this many messages at once and asks again from the last one's seq. */
export const consolePageSize = 500;

export function createConsoleChat(deps: {
  intake: () => ChatIntake;
  history: ConsoleHistory;
  /** Without one, only this process's readers hear of new messages at once. */
  bus?: ConsoleBus;
}): ConsoleChat {
  const { history, bus } = deps;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  bus?.onMessage((m) => emitter.emit('message', m));

  /** The first kept message that matches, oldest first, looking a page at a time. */
  async function findKept(predicate: (m: ConsoleMessage) => boolean): Promise<ConsoleMessage | undefined> {
    for (let afterSeq = 0; ;) {
      const page = await history.list({ afterSeq, limit: consolePageSize });
      const hit = page.find(predicate);
      if (hit || page.length < consolePageSize) return hit;
      afterSeq = page.at(-1)!.seq;
    }
  }

  return {
    async send(message) {
      const stored = await history.append(message);
      emitter.emit('message', stored);
      bus?.publish(stored);
    },
    async say(personId, text) {
      const messageId = randomUUID();
      await deps.intake().receive({
        platform: 'console',
        messageId,
        platformUserId: personId,
        conversationId: personId,
        text,
      });
      return messageId;
    },
    messagesFor(personId, afterSeq = 0) {
      return history.list({ conversationId: personId, afterSeq, limit: consolePageSize });
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          emitter.off('message', onMessage);
          outcome();
        };
        // Listening before looking: a message kept between the look and the listening is not missed.
        const onMessage = (m: ConsoleMessage) => {
          if (predicate(m)) settle(() => resolve(m));
        };
        emitter.on('message', onMessage);
        const timer = setTimeout(
          () => settle(() => reject(new Error(`no matching console message within ${timeoutMs} ms`))),
          timeoutMs,
        );
        findKept(predicate).then(
          (found) => {
            if (found) settle(() => resolve(found));
          },
          (error: unknown) => settle(() => reject(error as Error)),
        );
      });
    },
    lastSeq() {
      return history.lastSeq();
    },
    async poll(personId, afterSeq, waitMs, signal) {
      const look = () => history.list({ conversationId: personId, afterSeq, limit: consolePageSize });
      let wake: (() => void) | null = null;
      let woken = false;
      const onMessage = (m: ConsoleMessage) => {
        if (m.conversationId !== personId || m.seq <= afterSeq) return;
        woken = true;
        wake?.();
      };
      const onAbort = () => wake?.();
      emitter.on('message', onMessage);
      signal?.addEventListener('abort', onAbort);
      let timer: NodeJS.Timeout | undefined;
      try {
        const ready = await look();
        if (ready.length > 0 || waitMs <= 0 || signal?.aborted) return ready;
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (woken) return resolve();
          timer = setTimeout(resolve, waitMs);
        });
        // A closing server answers at once, so its connections are idle before it stops waiting.
        if (signal?.aborted) return [];
        return await look();
      } finally {
        clearTimeout(timer);
        emitter.off('message', onMessage);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    subscribe(listener) {
      emitter.on('message', listener);
      return () => emitter.off('message', listener);
    },
  };
}
